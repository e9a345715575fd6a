package org.ringchat.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small line chart written as SVG: linear or logarithmic axes, several series, a legend. No dependencies. */
public final class SvgChart {

    private static final int WIDTH = 780;
    private static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 260;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"};

    /** One line: its points in data coordinates; {@code dash} an SVG dash pattern or null for solid. */
    public record Series(String name, List<double[]> points, String colour, String dash, double width) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private boolean logX;
    private boolean logY;
    private Double yMin;
    private Double yMax;
    private final List<Series> series = new ArrayList<>();

    public SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgChart logX() {
        logX = true;
        return this;
    }

    public SvgChart logY() {
        logY = true;
        return this;
    }

    public SvgChart yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    public SvgChart add(String name, List<double[]> points, boolean dashed) {
        return add(name, points, COLOURS[series.size() % COLOURS.length], dashed);
    }

    public SvgChart add(String name, List<double[]> points, String colour, boolean dashed) {
        return add(name, points, colour, dashed ? "6 4" : null, 2);
    }

    /** Lines drawn later lie on top: give lines that may coincide decreasing widths to see them all. */
    public SvgChart add(String name, List<double[]> points, String colour, String dash, double width) {
        series.add(new Series(name, points, colour, dash, width));
        return this;
    }

    private double tx(double v) {
        return logX ? Math.log10(v) : v;
    }

    private double ty(double v) {
        return logY ? Math.log10(v) : v;
    }

    public String render() {
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points) {
                x0 = Math.min(x0, tx(p[0]));
                x1 = Math.max(x1, tx(p[0]));
                y0 = Math.min(y0, ty(p[1]));
                y1 = Math.max(y1, ty(p[1]));
            }
        }
        if (yMin != null) {
            y0 = ty(yMin);
            y1 = ty(yMax);
        }
        if (logX) {
            x0 = Math.floor(x0);
            x1 = Math.ceil(x1);
        }
        if (logY) {
            y0 = Math.floor(y0);
            y1 = Math.ceil(y1);
        } else if (yMin == null) {
            double[] nice = niceRange(y0, y1);
            y0 = nice[0];
            y1 = nice[1];
        }
        if (x1 == x0) {
            x1 = x0 + 1;
        }
        if (y1 == y0) {
            y1 = y0 + 1;
        }
        final double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator px = v -> LEFT + (tx(v) - fx0) / (fx1 - fx0) * plotW;
        java.util.function.DoubleUnaryOperator py = v -> TOP + plotH - (ty(v) - fy0) / (fy1 - fy0) * plotH;

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, esc(title)));
        // Grid and ticks.
        for (double[] tick : ticks(fx0, fx1, logX)) {
            double x = LEFT + (tick[0] - fx0) / (fx1 - fx0) * plotW;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP, x, TOP + plotH));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, TOP + plotH + 18, label(tick[1])));
        }
        for (double[] tick : ticks(fy0, fy1, logY)) {
            double y = TOP + plotH - (tick[0] - fy0) / (fy1 - fy0) * plotH;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, LEFT + plotW, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, label(tick[1])));
        }
        sb.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT, TOP, plotW, plotH));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2.0, HEIGHT - 12, esc(xLabel)));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>%n",
                TOP + plotH / 2.0, TOP + plotH / 2.0, esc(yLabel)));
        // Lines.
        int legendY = TOP + 10;
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (double[] p : s.points) {
                path.append(path.length() == 0 ? "M" : " L")
                        .append(String.format(Locale.ROOT, "%.1f %.1f", px.applyAsDouble(p[0]), py.applyAsDouble(p[1])));
            }
            String dash = s.dash == null ? "" : " stroke-dasharray=\"" + s.dash + "\"";
            sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                    path, s.colour, s.width, dash));
            for (double[] p : s.points) {
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n",
                        px.applyAsDouble(p[0]), py.applyAsDouble(p[1]), Math.max(3, s.width), s.colour));
            }
            int lx = LEFT + plotW + 12;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                    lx, legendY, lx + 24, legendY, s.colour, Math.min(s.width, 4), dash));
            sb.append(String.format("<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 30, legendY + 4, esc(s.name)));
            legendY += 20;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, render(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ticks as (axis coordinate, value shown). */
    private static List<double[]> ticks(double from, double to, boolean log) {
        List<double[]> ticks = new ArrayList<>();
        if (log) {
            for (double e = Math.ceil(from); e <= to + 1e-9; e++) {
                ticks.add(new double[] {e, Math.pow(10, e)});
            }
            return ticks;
        }
        double step = niceStep((to - from) / 6);
        for (double v = Math.ceil(from / step - 1e-9) * step; v <= to + step * 1e-6; v += step) {
            ticks.add(new double[] {v, v});
        }
        return ticks;
    }

    private static double[] niceRange(double lo, double hi) {
        if (hi - lo < 1e-12) {
            double pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
            lo -= pad;
            hi += pad;
        }
        double step = niceStep((hi - lo) / 6);
        return new double[] {Math.floor(lo / step) * step, Math.ceil(hi / step) * step};
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / magnitude;
        double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static String label(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9 && Math.abs(v) < 1e7) {
            return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
