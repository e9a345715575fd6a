package org.ringchat.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes a run's results: a CSV row per phase, a CSV of the details (CPU by thread kind, frames by type,
 * per broadcast), and a markdown page with the systems side by side and ringchat's ratios to JGroups.
 * The files are rewritten after every cell, so that an interrupted run keeps what it measured.
 */
final class Report {

    private static final String HEADER = "label,started,system,members,payload,senders,phase,window,seconds,"
            + "broadcasts,throughput,p50_ms,p99_ms,cpu_us_per_broadcast,receive_rate_per_member,incomplete,"
            + "send_errors,status,foreign_cores,load_average,setup_s,repetition,form_s,cores_per_member";

    private final Path dir;
    private final String label;
    private final Instant started;
    private final List<PhaseResult> results = new ArrayList<>();

    Report(Path dir, String label, Instant started) {
        this.dir = dir;
        this.label = label;
        this.started = started.truncatedTo(ChronoUnit.SECONDS);
    }

    Path csvFile() {
        return dir.resolve("compare-" + label + ".csv");
    }

    Path markdownFile() {
        return dir.resolve("compare-" + label + ".md");
    }

    private Path detailsFile() {
        return dir.resolve("compare-" + label + "-details.csv");
    }

    static String machine() {
        return String.format("%d cores, %s %s, max heap %d MB", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    void add(PhaseResult result) {
        results.add(result);
    }

    /** One line for the console, and one more with the CPU by category where there is one. */
    static String line(PhaseResult r) {
        String figures = r.phase().equals("setup")
                ? String.format(Locale.ROOT, "%s  setup %.1f s, formed in %.1f s, %.3f cores per member, %.0f TLS handshakes"
                        + "  other load %.2f", r.cell().describe(), r.setupSeconds(), r.formSeconds(), r.coresPerMember(),
                        r.framesPer().getOrDefault(PhaseResult.TLS_HANDSHAKES, Double.NaN), r.foreignCores())
                : r.phase().equals("idle")
                ? String.format(Locale.ROOT, "%s  idle  %.3f cores per member, frames received per s and member: %s"
                        + "  other load %.2f", r.cell().describe(), r.coresPerMember(), framesText(r), r.foreignCores())
                : String.format(Locale.ROOT, "%s  %-5s %9.0f/s  p50 %7.2f  p99 %8.2f ms  cpu %7.1f us  recv %8.0f/s"
                        + "  other load %.2f  %s", r.cell().describe(), r.phase(), r.throughput(), r.p50Millis(),
                r.p99Millis(), r.cpuMicros(), r.receiveRate(), r.foreignCores(), r.status());
        return r.cpuShares().isEmpty() || r.phase().equals("light") ? figures : figures + "\n    cpu: " + breakdown(r);
    }

    private static String framesText(PhaseResult r) {
        return r.framesPer().isEmpty() ? "not counted" : r.framesPer().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** The categories' shares of the CPU, the largest first: "GC 37 %, JIT 15 %, ...". */
    private static String breakdown(PhaseResult r) {
        return r.cpuShares().entrySet().stream()
                .filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue()))
                .collect(Collectors.joining(", "));
    }

    void write() {
        List<String> rows = new ArrayList<>();
        rows.add(HEADER);
        List<String> details = new ArrayList<>();
        details.add("label,system,members,payload,senders,phase,metric,value");
        for (PhaseResult r : results) {
            Cell c = r.cell();
            String key = String.join(",", c.system().label, Integer.toString(c.members()),
                    Integer.toString(c.payload()), Integer.toString(c.senders()), r.phase());
            rows.add(String.join(",", label, started.toString(), key, Integer.toString(r.window()), num(r.seconds()),
                    Long.toString(r.broadcasts()), num(r.throughput()), num(r.p50Millis()), num(r.p99Millis()),
                    num(r.cpuMicros()), num(r.receiveRate()), Long.toString(r.incomplete()),
                    Long.toString(r.sendErrors()), csvText(r.status()), num(r.foreignCores()), num(r.loadAverage()),
                    num(r.setupSeconds()), r.cell().repetition() + "/" + r.cell().repetitions(), num(r.formSeconds()),
                    num(r.coresPerMember())));
            String threadMetric = r.broadcasts() == 0 ? "cores " : "cpu_us ";
            r.threadMicros().forEach((k, v) -> details.add(String.join(",", label, key, csvText(threadMetric + k), num(v))));
            r.cpuShares().forEach((k, v) -> details.add(String.join(",", label, key, csvText("cpu_share " + k), num(v))));
            String framesMetric = r.phase().equals("idle") ? "frames_per_s " : r.phase().equals("setup") ? "" : "frames ";
            r.framesPer().forEach((k, v) -> details.add(String.join(",", label, key, csvText(framesMetric + k), num(v))));
        }
        try {
            Files.createDirectories(dir);
            Files.write(csvFile(), rows);
            Files.write(detailsFile(), details);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void finish(Duration took) {
        write();
        try {
            Files.writeString(markdownFile(), markdown(took));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String markdown(Duration took) {
        StringBuilder md = new StringBuilder();
        md.append("# Comparison run `").append(label).append("`\n\n");
        md.append(String.format("Started %s, took %d min %02d s; %s; JGroups %s (SYM_ENCRYPT: %s). "
                        + "Written by `benchmarks/compare-jgroups`; the rows are in [%s](%s).%n%n", started,
                took.toMinutes(), took.toSecondsPart(), machine(), org.jgroups.Version.printVersion(),
                JGroupsCluster.encryptionAlgorithm(), csvFile().getFileName(), csvFile().getFileName()));
        table(md, "Broadcasts per second delivered to all members (window full)", "load",
                r -> num0(r.throughput()), true);
        table(md, "Delivery to all, p50 / p99 (ms), window full", "load",
                r -> num2(r.p50Millis()) + " / " + num2(r.p99Millis()), false);
        table(md, "Delivery to all, p50 / p99 (ms), one broadcast at a time", "light",
                r -> num2(r.p50Millis()) + " / " + num2(r.p99Millis()), false);
        table(md, "Process CPU per broadcast, all members together (µs), window full", "load",
                r -> num0(r.cpuMicros()), true);
        table(md, "Deliveries per second at one member (window full)", "load", r -> num0(r.receiveRate()), false);
        table(md, "Seconds to form the group", "load", r -> num1(r.formSeconds()), false);
        table(md, "CPU per member with nobody sending (cores)", "idle", r -> num3(r.coresPerMember()), false);
        boolean breakdowns = breakdownTable(md, "load", "window full: share of the process CPU, and µs per broadcast in all");
        breakdowns |= breakdownTable(md, "idle", "nobody sending: share of the process CPU");
        breakdowns |= breakdownTable(md, "setup", "starting the members and forming the group: share of the process CPU");
        if (breakdowns) {
            md.append("GC and JIT are the JVM's own threads' CPU (all members share one JVM here), kernel the Java threads' "
                    + "system time; the other columns share out the Java threads' user time by JFR execution samples, each "
                    + "named by the first frame from the top that belongs to a category (`CpuCategory`, docs/BENCHMARKS.md).\n\n");
        }
        warmUps(md);
        List<PhaseResult> failed = results.stream().filter(r -> !r.ok()).toList();
        if (!failed.isEmpty()) {
            md.append("## Cells that did not complete\n\n");
            failed.forEach(r -> md.append("- ").append(r.cell().describe().replaceAll(" +", " ")).append(", ")
                    .append(r.phase()).append(": ").append(r.status()).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    /** What the JVM threads, and the Java threads' samples by {@link CpuCategory}, show of one phase's CPU. */
    private boolean breakdownTable(StringBuilder md, String phase, String what) {
        List<PhaseResult> rows = results.stream().filter(r -> r.phase().equals(phase) && r.ok() && r.judged()).toList();
        if (rows.isEmpty()) {
            return false;
        }
        List<String> columns = CpuCategory.ALL.stream().filter(category -> rows.stream()
                .anyMatch(r -> r.cpuShares().getOrDefault(category, 0.0) >= 0.005)).toList();
        md.append("## Where the CPU goes, ").append(what).append("\n\n| N | payload | senders | system |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append(phase.equals("load") ? " µs per broadcast |\n" : "\n").append("|---:|---:|---:|---|");
        md.append("---:|".repeat(columns.size())).append(phase.equals("load") ? "---:|\n" : "\n");
        for (PhaseResult r : rows) {
            Cell c = r.cell();
            md.append("| ").append(c.members()).append(" | ").append(bytes(c.payload())).append(" | ")
                    .append(c.senders()).append(" | ").append(c.system().label).append(" |");
            columns.forEach(category -> md.append(' ')
                    .append(String.format(Locale.ROOT, "%.0f %%", 100 * r.cpuShares().getOrDefault(category, 0.0))).append(" |"));
            md.append(phase.equals("load") ? " " + num0(r.cpuMicros()) + " |\n" : "\n");
        }
        md.append('\n');
        return true;
    }

    /** The runs before the judged one of each configuration: how far the JIT had to warm up. */
    private void warmUps(StringBuilder md) {
        List<PhaseResult> warmUps = results.stream().filter(r -> !r.judged() && r.phase().equals("load")).toList();
        if (warmUps.isEmpty()) {
            return;
        }
        md.append("## Warm-up runs (not judged)\n\n| run | broadcasts/s | CPU per broadcast (µs) | status |\n|---|---:|---:|---|\n");
        warmUps.forEach(r -> md.append("| ").append(r.cell().describe().replaceAll(" +", " ")).append(" | ")
                .append(num0(r.throughput())).append(" | ").append(num0(r.cpuMicros())).append(" | ")
                .append(r.status()).append(" |\n"));
        md.append('\n');
    }

    /**
     * A table of one figure, a row per configuration, a column per system; with {@code ratios}, ringchat's
     * figure over each JGroups variant's. The last column is the most CPU other processes used meanwhile.
     */
    private void table(StringBuilder md, String title, String phase, Function<PhaseResult, String> figure,
                       boolean ratios) {
        Map<String, Map<Cell.Kind, PhaseResult>> rows = new LinkedHashMap<>();
        for (PhaseResult r : results) {
            if (r.phase().equals(phase) && r.judged()) {
                Cell c = r.cell();
                rows.computeIfAbsent(c.members() + "|" + c.payload() + "|" + c.senders(), k -> new LinkedHashMap<>())
                        .put(c.system(), r);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        md.append("## ").append(title).append("\n\n| N | payload | senders | ringchat | jgroups | jgroups+enc |");
        md.append(ratios ? " ringchat ÷ jgroups | ringchat ÷ jgroups+enc |" : "").append(" other load (cores) |\n");
        md.append("|---:|---:|---:|---:|---:|---:|").append(ratios ? "---:|---:|" : "").append("---:|\n");
        for (Map<Cell.Kind, PhaseResult> row : rows.values()) {
            Cell c = row.values().iterator().next().cell();
            md.append("| ").append(c.members()).append(" | ").append(bytes(c.payload())).append(" | ")
                    .append(c.senders()).append(" |");
            for (Cell.Kind kind : Cell.Kind.values()) {
                md.append(' ').append(Optional.ofNullable(row.get(kind))
                        .map(r -> r.ok() ? figure.apply(r) : "failed").orElse("")).append(" |");
            }
            if (ratios) {
                PhaseResult ours = row.get(Cell.Kind.RINGCHAT);
                md.append(' ').append(ratio(ours, row.get(Cell.Kind.JGROUPS), title)).append(" |");
                md.append(' ').append(ratio(ours, row.get(Cell.Kind.JGROUPS_ENC), title)).append(" |");
            }
            double load = row.values().stream().mapToDouble(PhaseResult::foreignCores).filter(d -> !Double.isNaN(d))
                    .max().orElse(Double.NaN);
            md.append(' ').append(num2(load)).append(" |\n");
        }
        md.append('\n');
    }

    private static String ratio(PhaseResult ours, PhaseResult theirs, String title) {
        if (ours == null || theirs == null || !ours.ok() || !theirs.ok()) {
            return "";
        }
        boolean cpu = title.startsWith("Process CPU");
        double a = cpu ? ours.cpuMicros() : ours.throughput();
        double b = cpu ? theirs.cpuMicros() : theirs.throughput();
        return String.format(Locale.ROOT, a / b >= 10 ? "%.0f×" : a / b >= 0.1 ? "%.2f×" : "%.3f×", a / b);
    }

    private static String bytes(int payload) {
        return payload >= 1024 && payload % 1024 == 0 ? payload / 1024 + " KB" : payload + " B";
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String num0(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String num1(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num3(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String num2(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String csvText(String text) {
        return text.contains(",") || text.contains("\"") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
