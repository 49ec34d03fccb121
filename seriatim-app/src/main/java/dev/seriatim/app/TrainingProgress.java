package dev.seriatim.app;

import dev.seriatim.train.StepReport;
import dev.seriatim.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shows a run's progress and logs it. On a terminal, one status line redrawn in place (a bar,
 * step, train loss, last validation loss, tokens/s, ETA); otherwise plain lines at about 1% steps, so
 * a log file stays readable. Every step goes to the CSV log, flushed per line so a killed run
 * keeps its log; the losses are kept for the PNG chart.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable {

    static final String CSV_HEADER = "step,lr,train_loss,val_loss,grad_norm,tokens_per_s,elapsed_s";

    private final PrintWriter out;
    private final boolean terminal;
    private final int totalSteps;
    private final Writer csv;
    private final long started = System.nanoTime();
    private final int firstStep;
    private double lastValidation = Double.NaN;
    private double smoothedSeconds = Double.NaN;
    final List<double[]> trainLosses = new ArrayList<>();
    final List<double[]> validationLosses = new ArrayList<>();

    TrainingProgress(PrintWriter out, boolean terminal, int firstStep, int totalSteps, Path csvPath) throws IOException {
        this.out = out;
        this.terminal = terminal;
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        boolean append = firstStep > 0 && Files.exists(csvPath);
        if (append) {
            readExisting(csvPath);
        }
        this.csv = Files.newBufferedWriter(csvPath, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        if (!append) {
            csv.write(CSV_HEADER + "\n");
        }
    }

    /** On resume, the earlier part of the curve comes from the log (up to the checkpoint's step). */
    private void readExisting(Path csvPath) throws IOException {
        for (String line : Files.readAllLines(csvPath, StandardCharsets.UTF_8)) {
            String[] f = line.split(",", -1);
            if (f.length < 4 || !Character.isDigit(line.charAt(0))) {
                continue;
            }
            int step = Integer.parseInt(f[0]);
            if (step <= firstStep) {
                trainLosses.add(new double[] {step, Double.parseDouble(f[2])});
                if (!f[3].isEmpty()) {
                    validationLosses.add(new double[] {step, Double.parseDouble(f[3])});
                }
            }
        }
    }

    @Override
    public void onStep(StepReport r) {
        smoothedSeconds = Double.isNaN(smoothedSeconds) ? r.seconds() : 0.9 * smoothedSeconds + 0.1 * r.seconds();
        trainLosses.add(new double[] {r.step(), r.loss()});
        log(r.step(), r.lr(), r.loss(), Double.NaN, r.gradNorm(), r.tokens() / r.seconds());
        String status = String.format(Locale.ROOT, "step %d/%d  loss %.4f  val %s  %.0f tok/s  ETA %s",
                r.step(), totalSteps, r.loss(), Double.isNaN(lastValidation) ? "-" : String.format(Locale.ROOT,
                        "%.4f", lastValidation), r.tokens() / smoothedSeconds,
                duration(smoothedSeconds * (totalSteps - r.step())));
        if (terminal) {
            out.print("\r" + bar(r.step(), totalSteps) + " " + status + "   ");
            out.flush();
        } else if (r.step() == firstStep + 1 || r.step() % Math.max(1, totalSteps / 100) == 0
                || r.step() == totalSteps) {
            out.println(status);
            out.flush();
        }
    }

    @Override
    public void onValidation(int step, double loss) {
        lastValidation = loss;
        validationLosses.add(new double[] {step, loss});
        log(step, Float.NaN, Double.NaN, loss, Double.NaN, Double.NaN);
    }

    @Override
    public void onCheckpoint(int step, Path path) {
        if (!terminal) {
            out.println("checkpoint at step " + step + ": " + path);
            out.flush();
        }
    }

    /** Ends the status line so that what follows starts on a fresh line. */
    void finishLine() {
        if (terminal) {
            out.println();
            out.flush();
        }
    }

    private void log(int step, float lr, double loss, double val, double norm, double tokensPerSecond) {
        try {
            csv.write(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f%n", step, num(lr), num(loss), num(val),
                    num(norm), num(tokensPerSecond), (System.nanoTime() - started) / 1e9));
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    /** A 24-character bar, e.g. [#########...............]. */
    static String bar(int done, int total) {
        int width = 24;
        int filled = total <= 0 ? 0 : (int) Math.min(width, (long) done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
