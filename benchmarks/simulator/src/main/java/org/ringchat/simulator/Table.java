package org.ringchat.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Rows of named values: printed as an aligned table, written as CSV. */
public final class Table {

    private final String name;
    private final String title;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    public Table(String name, String title) {
        this.name = name;
        this.title = title;
    }

    public String name() {
        return name;
    }

    public void add(Row row) {
        rows.add(row.values);
    }

    public List<Map<String, Object>> rows() {
        return rows;
    }

    /** One row under construction. */
    public static final class Row {
        private final Map<String, Object> values = new LinkedHashMap<>();

        public Object get(String column) {
            return values.get(column);
        }

        public Row put(String column, Object value) {
            values.put(column, value);
            return this;
        }
    }

    static String format(Object v) {
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "";
            }
            double a = Math.abs(d);
            if (a != 0 && a < 0.001) {
                return String.format(Locale.ROOT, "%.6f", d);
            }
            // Ratios need six places: 0.999500 is a target.
            return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 10 ? "%.3f" : "%.6f", d);
        }
        return String.valueOf(v);
    }

    private List<String> columns() {
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            for (String c : row.keySet()) {
                if (!columns.contains(c)) {
                    columns.add(c);
                }
            }
        }
        return columns;
    }

    /** A table as {@link #writeCsv} wrote it; numbers come back as doubles. */
    public static Table readCsv(String name, Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String[] columns = lines.get(0).split(",", -1);
            Table t = new Table(name, file.getFileName().toString());
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                Row row = new Row();
                for (int i = 0; i < columns.length; i++) {
                    String cell = i < cells.length ? cells[i] : "";
                    Object value;
                    try {
                        value = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        value = cell;
                    }
                    row.put(columns[i], value);
                }
                t.add(row);
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeCsv(Path file) {
        List<String> columns = columns();
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(row.containsKey(c) ? format(row.get(c)) : "");
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String render() {
        List<String> columns = columns();
        int[] widths = new int[columns.size()];
        List<String[]> cells = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
        }
        for (Map<String, Object> row : rows) {
            String[] line = new String[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                line[i] = row.containsKey(columns.get(i)) ? format(row.get(columns.get(i))) : "";
                widths[i] = Math.max(widths[i], line[i].length());
            }
            cells.add(line);
        }
        StringBuilder sb = new StringBuilder("== ").append(name).append(": ").append(title).append('\n');
        for (int i = 0; i < columns.size(); i++) {
            sb.append(String.format("%" + widths[i] + "s  ", columns.get(i)));
        }
        sb.append('\n');
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                sb.append(String.format("%" + widths[i] + "s  ", line[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
