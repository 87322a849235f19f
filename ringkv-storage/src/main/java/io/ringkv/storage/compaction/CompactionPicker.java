package io.ringkv.storage.compaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to compact; does no I/O (docs/decisions/compaction-strategy.md).
 *
 * <p>Size-tiered, as in Bigtable's and Cassandra's STCS: tables of similar size are merged
 * together, so each byte is rewritten about log_min(N) times. Unlike Cassandra, only tables
 * ADJACENT IN AGE are merged (RocksDB's "universal" compaction does the same). That keeps the
 * live tables' seq ranges disjoint and ordered, which buys two things: a read can stop at the
 * first table holding a PUT or DELETE for the key, newest first, and "the compaction includes
 * every table older than this tombstone" is simply "the run starts at the oldest table".
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>Walk the tables oldest to newest, cutting them into runs ("buckets") of similar size:
 *       a table joins the current run if its size is within [{@value #BUCKET_LOW}, {@value #BUCKET_HIGH}]
 *       times the run's average, or both are under {@code smallTableBytes} (tiny tables are
 *       all alike).</li>
 *   <li>A run of at least {@code minThreshold} tables is a candidate; a longer one contributes its
 *       newest {@code maxThreshold}. The candidate with the smallest average table wins:
 *       merging small tables is cheap and cuts the count as much.</li>
 *   <li>If nothing qualifies but there are at least {@code pressureTables} tables, the adjacent
 *       window of {@code minThreshold} tables with the fewest bytes is merged anyway, so the
 *       table count (and so read cost) stays bounded and stalled writers always resume.</li>
 * </ol>
 */
public final class CompactionPicker {
    static final double BUCKET_LOW = 0.5;
    static final double BUCKET_HIGH = 1.5;

    private final int minThreshold;
    private final int maxThreshold;
    private final int pressureTables;
    private final long smallTableBytes;

    /**
     * @param pressureTables  table count from which a compaction is always picked; must be at
     *                        least {@code minThreshold}
     * @param smallTableBytes tables below this are all considered the same size
     */
    public CompactionPicker(int minThreshold, int maxThreshold, int pressureTables, long smallTableBytes) {
        if (minThreshold < 2) {
            throw new IllegalArgumentException("min threshold must be at least 2, was " + minThreshold);
        }
        if (maxThreshold < minThreshold) {
            throw new IllegalArgumentException("max threshold " + maxThreshold + " is below min threshold " + minThreshold);
        }
        if (pressureTables < minThreshold) {
            throw new IllegalArgumentException("pressure table count " + pressureTables + " is below min threshold " + minThreshold);
        }
        if (smallTableBytes < 0) {
            throw new IllegalArgumentException("small table size must not be negative");
        }
        this.minThreshold = minThreshold;
        this.maxThreshold = maxThreshold;
        this.pressureTables = pressureTables;
        this.smallTableBytes = smallTableBytes;
    }

    /** The compaction to run next for {@code tables} (oldest first), if any. */
    public Optional<CompactionChoice> pick(List<TableInfo> tables) {
        int n = tables.size();
        if (n < minThreshold) {
            return Optional.empty();
        }
        int bestStart = -1;
        int bestEnd = -1;
        double bestAverage = Double.MAX_VALUE;
        int runStart = 0;
        long runBytes = tables.get(0).sizeBytes();
        for (int i = 1; i <= n; i++) {
            boolean joins = false;
            if (i < n) {
                double average = (double) runBytes / (i - runStart);
                long size = tables.get(i).sizeBytes();
                joins = (size >= average * BUCKET_LOW && size <= average * BUCKET_HIGH)
                        || (size < smallTableBytes && average < smallTableBytes);
            }
            if (joins) {
                runBytes += tables.get(i).sizeBytes();
                continue;
            }
            int length = i - runStart;
            if (length >= minThreshold) {
                int start = Math.max(runStart, i - maxThreshold);
                double average = averageBytes(tables, start, i);
                if (average < bestAverage) {
                    bestAverage = average;
                    bestStart = start;
                    bestEnd = i;
                }
            }
            if (i < n) {
                runStart = i;
                runBytes = tables.get(i).sizeBytes();
            }
        }
        if (bestStart >= 0) {
            return Optional.of(choice(tables, bestStart, bestEnd, "size-tiered: "
                    + (bestEnd - bestStart) + " tables of similar size"));
        }
        if (n >= pressureTables) {
            int start = cheapestWindow(tables, minThreshold);
            return Optional.of(choice(tables, start, start + minThreshold, "table count " + n
                    + " reached " + pressureTables + ": merging the cheapest adjacent " + minThreshold));
        }
        return Optional.empty();
    }

    /** Every table in one compaction (compactAll). */
    public static Optional<CompactionChoice> all(List<TableInfo> tables) {
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(choice(tables, 0, tables.size(), "compact all"));
    }

    private static int cheapestWindow(List<TableInfo> tables, int length) {
        long windowBytes = 0;
        for (int i = 0; i < length; i++) {
            windowBytes += tables.get(i).sizeBytes();
        }
        long best = windowBytes;
        int bestStart = 0;
        for (int start = 1; start + length <= tables.size(); start++) {
            windowBytes += tables.get(start + length - 1).sizeBytes() - tables.get(start - 1).sizeBytes();
            if (windowBytes < best) {
                best = windowBytes;
                bestStart = start;
            }
        }
        return bestStart;
    }

    private static double averageBytes(List<TableInfo> tables, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += tables.get(i).sizeBytes();
        }
        return (double) sum / (to - from);
    }

    private static CompactionChoice choice(List<TableInfo> tables, int from, int to, String reason) {
        List<Long> ids = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            ids.add(tables.get(i).tableId());
        }
        return new CompactionChoice(ids, from, from == 0, reason);
    }
}
