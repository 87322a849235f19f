package io.ringkv.bench.common;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A plain-text table with aligned columns: the first column left-aligned (labels), the others
 * right-aligned (numbers). Printed in Markdown pipe syntax so a run's output can be pasted into
 * docs/benchmarks.md unchanged and still reads well in a terminal.
 */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = List.of(header);
    }

    public TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(
                    "row has " + cells.length + " cells but the table has " + header.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> Objects.requireNonNullElse(c, "")).toList());
        return this;
    }

    public void print(PrintStream out) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        out.println(line(header, widths));
        StringBuilder rule = new StringBuilder("|");
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? ":" : "-").append("-".repeat(widths[c])).append(c == 0 ? "-" : ":").append('|');
        }
        out.println(rule);
        for (List<String> row : rows) {
            out.println(line(row, widths));
        }
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder("|");
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            sb.append(' ').append(c == 0 ? cell + pad : pad + cell).append(" |");
        }
        return sb.toString();
    }

    /** Formats a count with thousands separators, e.g. 1,234,567. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Formats a latency or rate with a precision that suits its magnitude. */
    public static String number(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return "n/a";
        }
        if (Math.abs(x) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (Math.abs(x) >= 10) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        return String.format(Locale.ROOT, "%.2f", x);
    }
}
