package dev.seriatim.app;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG plot of training and validation loss against the step, drawn with the JDK's own
 * Java2D and ImageIO (no charting dependency for two lines on axes). Written atomically.
 */
final class LossChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private LossChart() {}

    /** Each point is {step, loss}. */
    static void write(Path png, String title, List<double[]> train, List<double[]> validation) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxStep = 1;
        double minLoss = Double.POSITIVE_INFINITY;
        double maxLoss = Double.NEGATIVE_INFINITY;
        for (List<double[]> series : List.of(train, validation)) {
            for (double[] p : series) {
                maxStep = Math.max(maxStep, p[0]);
                minLoss = Math.min(minLoss, p[1]);
                maxLoss = Math.max(maxLoss, p[1]);
            }
        }
        if (!(maxLoss > minLoss)) {
            minLoss = Double.isFinite(minLoss) ? minLoss - 1 : 0;
            maxLoss = minLoss + 2;
        }
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH * i / 5;
            int x = LEFT + plotW * i / 5;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3f", maxLoss - (maxLoss - minLoss) * i / 5), 8, y + 4);
            g.drawString(String.format(Locale.ROOT, "%.0f", maxStep * i / 5), x - 10, TOP + plotH + 18);
        }
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("step", LEFT + plotW / 2 - 12, HEIGHT - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 24);
        draw(g, train, new Color(31, 119, 180), maxStep, minLoss, maxLoss, plotW, plotH);
        draw(g, validation, new Color(214, 39, 40), maxStep, minLoss, maxLoss, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(31, 119, 180));
        g.drawString("train loss (nats/token)", LEFT + plotW - 300, 24);
        g.setColor(new Color(214, 39, 40));
        g.drawString("validation loss", LEFT + plotW - 130, 24);
        g.dispose();
        Path tmp = Files.createTempFile(png.toAbsolutePath().getParent(), ".loss", ".png.tmp");
        try {
            ImageIO.write(image, "png", tmp.toFile());
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void draw(Graphics2D g, List<double[]> series, Color color, double maxStep, double minLoss,
            double maxLoss, int plotW, int plotH) {
        if (series.isEmpty()) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < series.size(); i++) {
            double x = LEFT + plotW * series.get(i)[0] / maxStep;
            double y = TOP + plotH * (maxLoss - series.get(i)[1]) / (maxLoss - minLoss);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(series.size() < 50 ? 2f : 1.2f));
        g.draw(path);
    }
}
