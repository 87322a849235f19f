package io.ringkv.bench.storage;

import io.ringkv.bench.common.LatencySummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one db_bench invocation printed, per benchmark it ran: the result line
 * ({@code readrandom : 10.039 micros/op 99615 ops/sec 10.039 seconds 1000000 operations; ...
 * (1000000 of 1000000 found)}) and the percentile line {@code --histogram=1} adds after it.
 */
record DbBenchOutput(Map<String, Result> results) {
    private static final Pattern RESULT = Pattern.compile(
            "^(\\w+)\\s*:\\s*([0-9.]+) micros/op\\s+([0-9]+) ops/sec\\s+([0-9.]+) seconds\\s+([0-9]+) operations;(.*)$");
    private static final Pattern FOUND = Pattern.compile("\\(([0-9]+) of ([0-9]+) found\\)");
    private static final Pattern PERCENTILES = Pattern.compile(
            "^Percentiles: P50: ([0-9.]+) P75: [0-9.]+ P99: ([0-9.]+) P99\\.9: ([0-9.]+)");

    /**
     * One benchmark's figures.
     *
     * @param found      keys a read benchmark found, -1 when the line says nothing about it
     * @param latency    from the percentile line, in microseconds as db_bench prints them; null without one
     */
    record Result(String name, double microsPerOp, long opsPerSecond, double seconds, long operations, long found,
                  LatencySummary latency) {
    }

    static DbBenchOutput parse(List<String> lines) {
        Map<String, Result> results = new LinkedHashMap<>();
        Result last = null;
        for (String line : lines) {
            Matcher r = RESULT.matcher(line.strip());
            if (r.matches()) {
                Matcher f = FOUND.matcher(r.group(6));
                last = new Result(r.group(1), Double.parseDouble(r.group(2)), Long.parseLong(r.group(3)),
                        Double.parseDouble(r.group(4)), Long.parseLong(r.group(5)),
                        f.find() ? Long.parseLong(f.group(1)) : -1, null);
                results.put(last.name(), last);
                continue;
            }
            Matcher p = PERCENTILES.matcher(line.strip());
            if (p.find() && last != null && last.latency() == null) {
                last = new Result(last.name(), last.microsPerOp(), last.opsPerSecond(), last.seconds(), last.operations(),
                        last.found(), new LatencySummary(last.operations(), Double.parseDouble(p.group(1)),
                                Double.parseDouble(p.group(2)), Double.parseDouble(p.group(3)), Double.NaN));
                results.put(last.name(), last);
            }
        }
        return new DbBenchOutput(Map.copyOf(results));
    }

    Optional<Result> result(String benchmark) {
        return Optional.ofNullable(results.get(benchmark));
    }

    /** The result of {@code benchmark}, or an exception naming what db_bench printed instead. */
    Result require(String benchmark, List<String> lines) {
        return result(benchmark).orElseThrow(() -> new IllegalStateException("db_bench printed no result for "
                + benchmark + "; its last lines: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5),
                lines.size()))));
    }
}
