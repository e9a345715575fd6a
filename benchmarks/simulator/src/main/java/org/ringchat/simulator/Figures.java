package org.ringchat.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The SVG figures of docs/BENCHMARKS.md, from the experiments' tables. */
final class Figures {

    private static final Map<String, String> COLOUR = Map.of("naive", "#7f7f7f", Experiments.NAIVE_LONG_PART, "#ff7f0e",
            "ring", "#1f77b4", "tree", "#d62728");

    private Figures() {
    }

    static void write(Path dir, Table healthy, Table crash) {
        hops(healthy).write(dir.resolve("hops.svg"));
        copies(healthy).write(dir.resolve("copies.svg"));
        for (int n : values(crash, "n")) {
            delivery(crash, n).write(dir.resolve("delivery-" + n + ".svg"));
        }
        missed(crash).write(dir.resolve("missed-2s.svg"));
        System.out.println("wrote " + dir.resolve("hops.svg") + ", copies.svg, delivery-*.svg, missed-2s.svg");
    }

    private static double num(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).doubleValue();
    }

    private static TreeSet<Integer> values(Table t, String column) {
        TreeSet<Integer> values = new TreeSet<>();
        t.rows().forEach(r -> values.add(((Number) r.get(column)).intValue()));
        return values;
    }

    private static List<double[]> points(Table t, String topology, String x, String y, Integer n) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Object> row : t.rows()) {
            if (row.get("topology").equals(topology) && (n == null || num(row, "n") == n)) {
                points.add(new double[] {num(row, x), num(row, y)});
            }
        }
        return points;
    }

    static SvgChart hops(Table healthy) {
        SvgChart chart = new SvgChart("Hops from the author, healthy group", "members N (log)", "hops (log)").logX().logY();
        for (String topology : List.of("naive", "ring", "tree")) {
            chart.add(topology + " max", points(healthy, topology, "n", "max_hops", null), COLOUR.get(topology), false);
            chart.add(topology + " mean", points(healthy, topology, "n", "mean_hops", null), COLOUR.get(topology), true);
        }
        List<double[]> bound = new ArrayList<>();
        for (int n : values(healthy, "n")) {
            bound.add(new double[] {n, Experiments.ceilLog2(n)});
        }
        chart.add("⌈log₂N⌉ (ring target)", bound, "#000000", "2 3", 1.5);
        return chart;
    }

    static SvgChart copies(Table healthy) {
        SvgChart chart = new SvgChart("Payload copies per broadcast ÷ (N − 1), healthy group", "members N (log)",
                "copies / (N − 1)").logX();
        double max = 1;
        // Where the lines coincide (at 1), the wider ones drawn first show round the narrower.
        double[] widths = {2, 9, 5, 2};
        List<String> topologies = List.of("naive", Experiments.NAIVE_LONG_PART, "ring", "tree");
        for (int i = 0; i < topologies.size(); i++) {
            String topology = topologies.get(i);
            List<double[]> p = points(healthy, topology, "n", "copies_per_n_minus_1", null);
            for (double[] q : p) {
                max = Math.max(max, q[1]);
            }
            String label = topology.equals(Experiments.NAIVE_LONG_PART) ? "naive, part timeout > round trip"
                    : topology.equals("naive") ? "naive, part timeout 2 s" : topology;
            chart.add(label, p, COLOUR.get(topology), null, widths[i]);
        }
        chart.yRange(0, Math.ceil(max * 4 + 0.5) / 4);
        return chart;
    }

    /** The share of pairs not delivered within 2 s, log scale; a run that missed none has no point. */
    static SvgChart missed(Table crash) {
        SvgChart chart = new SvgChart("(message, live member) pairs not delivered within 2 s", "members crashed at once (%)",
                "missed within 2 s (% of pairs, log)").logY().yRange(0.001, 100);
        for (String topology : List.of("ring", "tree")) {
            for (int n : values(crash, "n")) {
                List<double[]> points = new ArrayList<>();
                for (Map<String, Object> row : crash.rows()) {
                    if (row.get("topology").equals(topology) && num(row, "n") == n && num(row, "missed_2s") > 0) {
                        points.add(new double[] {num(row, "crashed_pct"), 100 * num(row, "missed_2s") / num(row, "live_pairs")});
                    }
                }
                chart.add(String.format("%s, N = %,d", topology, n), points, COLOUR.get(topology), n >= 10_000 ? null : "6 4", 2);
            }
        }
        List<double[]> target = List.of(new double[] {0, 0.05}, new double[] {80, 0.05});
        chart.add("target at 30 %: 0.05 %", target, "#000000", "2 3", 1.5);
        return chart;
    }

    static SvgChart delivery(Table crash, int n) {
        SvgChart chart = new SvgChart(String.format("Delivery to live members vs members crashed at once, N = %,d", n),
                "members crashed at once (%)", "(message, live member) pairs delivered (%)");
        double min = 100;
        for (String topology : List.of("ring", "tree")) {
            List<double[]> fast = new ArrayList<>();
            List<double[]> after = new ArrayList<>();
            for (Map<String, Object> row : crash.rows()) {
                if (row.get("topology").equals(topology) && num(row, "n") == n) {
                    fast.add(new double[] {num(row, "crashed_pct"), 100 * num(row, "ratio_2s")});
                    after.add(new double[] {num(row, "crashed_pct"), 100 * num(row, "ratio_after_repair")});
                    min = Math.min(min, 100 * num(row, "ratio_2s"));
                }
            }
            if (!fast.isEmpty()) {
                chart.add(topology + ", within 2 s", fast, COLOUR.get(topology), true);
                // Both reach 100 % after repair: the ring's line is drawn wider, round the tree's.
                chart.add(topology + ", after repair", after, COLOUR.get(topology), null, topology.equals("ring") ? 6 : 2);
            }
        }
        chart.yRange(Math.max(0, Math.floor(min / 10) * 10), 100);
        return chart;
    }
}
