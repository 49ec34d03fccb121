package dev.seriatim.app;

import dev.seriatim.timeseries.Forecast;
import dev.seriatim.timeseries.TimeSeries;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A fan chart PNG drawn with Java2D: the history, the point forecast, and the prediction
 * intervals as shaded bands (widest level lightest), dates on the x axis when the series has
 * them. Plain Java2D keeps the command line free of a charting dependency for one chart type.
 */
final class FanChart {

    static final int WIDTH = 1000;
    static final int HEIGHT = 520;
    private static final int LEFT = 80, RIGHT = 30, TOP = 50, BOTTOM = 60;

    private FanChart() {
    }

    static void write(Path file, TimeSeries ts, Forecast f, String title) throws IOException {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g, ts, f, title);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }

    private static void draw(Graphics2D g, TimeSeries ts, Forecast f, String title) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double[] y = ts.values();
        int n = y.length, h = f.horizon();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            if (!Double.isNaN(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        for (int i = 0; i < f.levels().length; i++) {
            for (int s = 0; s < h; s++) {
                lo = finiteMin(lo, f.lower()[i][s]);
                hi = finiteMax(hi, f.upper()[i][s]);
            }
        }
        for (double v : f.mean()) {
            lo = finiteMin(lo, v);
            hi = finiteMax(hi, v);
        }
        double pad = (hi - lo) * 0.05 + 1e-12;
        lo -= pad;
        hi += pad;
        Scale sx = new Scale(0, n + h - 1, LEFT, WIDTH - RIGHT);
        Scale sy = new Scale(lo, hi, HEIGHT - BOTTOM, TOP);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(new Color(0xE0E0E0));
        g.setStroke(new BasicStroke(1f));
        for (double tick : ticks(lo, hi, 6)) {
            int py = sy.px(tick);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(LEFT, py, WIDTH - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            String label = format(tick);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        drawXAxis(g, fm, ts, n, h, sx);

        // Bands: widest level first (lightest), then narrower ones on top.
        Integer[] order = new Integer[f.levels().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(f.levels()[b], f.levels()[a]));
        for (int rank = 0; rank < order.length; rank++) {
            int i = order[rank];
            float shade = order.length == 1 ? 0.75f : 0.85f - 0.25f * rank / (order.length - 1);
            g.setColor(new Color(shade - 0.25f, shade - 0.1f, 1f));
            Path2D band = new Path2D.Double();
            band.moveTo(sx.x(n - 1), sy.y(y[n - 1]));
            for (int s = 0; s < h; s++) {
                band.lineTo(sx.x(n + s), sy.y(f.upper()[i][s]));
            }
            for (int s = h - 1; s >= 0; s--) {
                band.lineTo(sx.x(n + s), sy.y(f.lower()[i][s]));
            }
            band.closePath();
            if (!Double.isNaN(y[n - 1])) {
                g.fill(band);
            }
        }
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(0x202020));
        polyline(g, sx, sy, y, 0);
        g.setColor(new Color(0x1F4FD8));
        double[] joined = new double[h + 1];
        joined[0] = y[n - 1];
        System.arraycopy(f.mean(), 0, joined, 1, h);
        polyline(g, sx, sy, joined, n - 1);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, TOP - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        StringBuilder legend = new StringBuilder("history (black), forecast (blue), intervals: ");
        for (int i = 0; i < f.levels().length; i++) {
            legend.append(i == 0 ? "" : ", ").append(ForecastCommand.label(f.levels()[i])).append('%');
        }
        g.drawString(legend.toString(), LEFT, TOP - 4);
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    }

    private static void drawXAxis(Graphics2D g, FontMetrics fm, TimeSeries ts, int n, int h, Scale sx) {
        g.setColor(Color.DARK_GRAY);
        int total = n + h;
        int step = Math.max(1, (int) Math.ceil(total / 10.0));
        if (ts.dates() != null && ts.frequency() > 1) {
            step = ts.frequency() * Math.max(1, (int) Math.ceil(total / 10.0 / ts.frequency()));
        }
        for (int t = 0; t < total; t += step) {
            String label;
            if (ts.dates() != null) {
                LocalDate d = t < n ? ts.dates()[t] : ts.futureDate(t - n + 1);
                label = d == null ? String.valueOf(t + 1) : ts.frequency() >= 4 && ts.frequency() <= 12
                        ? d.toString().substring(0, 7) : d.toString();
            } else {
                label = String.valueOf(t + 1);
            }
            int px = sx.px(t);
            g.drawLine(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 5);
            g.drawString(label, px - fm.stringWidth(label) / 2, HEIGHT - BOTTOM + 20);
        }
    }

    private static void polyline(Graphics2D g, Scale sx, Scale sy, double[] v, int offset) {
        Path2D p = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                pen = false;
                continue;
            }
            if (pen) {
                p.lineTo(sx.x(offset + i), sy.y(v[i]));
            } else {
                p.moveTo(sx.x(offset + i), sy.y(v[i]));
                pen = true;
            }
        }
        g.draw(p);
    }

    private static double finiteMin(double a, double b) {
        return Double.isFinite(b) ? Math.min(a, b) : a;
    }

    private static double finiteMax(double a, double b) {
        return Double.isFinite(b) ? Math.max(a, b) : a;
    }

    /** About count round tick values covering [lo, hi]. */
    static double[] ticks(double lo, double hi, int count) {
        double raw = (hi - lo) / count;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double unit = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double start = Math.ceil(lo / unit) * unit;
        int k = (int) Math.floor((hi - start) / unit) + 1;
        double[] out = new double[Math.max(0, k)];
        for (int i = 0; i < out.length; i++) {
            out[i] = start + i * unit;
        }
        return out;
    }

    private static String format(double v) {
        return Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    /** A linear map from data to pixels. */
    private record Scale(double from, double to, double pxFrom, double pxTo) {
        double x(double v) {
            return pxFrom + (v - from) / (to - from) * (pxTo - pxFrom);
        }

        double y(double v) {
            return x(v);
        }

        int px(double v) {
            return (int) Math.round(x(v));
        }
    }
}
