package io.ringkv.storage.sstable;

import java.util.concurrent.atomic.LongAdder;

/**
 * Read-path counters shared by every reader of an engine. LongAdders, because many threads
 * bump them on every lookup and a contended AtomicLong would cost more than the lookup. A bloom
 * check bumps one counter, not two (checks are negatives + positives): on a missing-key read a
 * bloom negative is most of the work, and each add is an atomic instruction.
 */
public final class ReadStats {
    private final LongAdder bloomPositives = new LongAdder();
    private final LongAdder bloomNegatives = new LongAdder();
    private final LongAdder bloomFalsePositives = new LongAdder();
    private final LongAdder blockReads = new LongAdder();
    private final LongAdder blockBytesRead = new LongAdder();

    /** Point lookups that consulted a bloom filter. */
    public long bloomChecks() {
        return bloomPositives.sum() + bloomNegatives.sum();
    }

    /** Lookups the bloom filter ruled out, so no block was touched. */
    public long bloomNegatives() {
        return bloomNegatives.sum();
    }

    /** Lookups the bloom filter let through that found nothing in the table. */
    public long bloomFalsePositives() {
        return bloomFalsePositives.sum();
    }

    /** Data blocks read from disk (cache misses and uncached iterator reads). */
    public long blockReads() {
        return blockReads.sum();
    }

    /** Bytes of data blocks read from disk, as stored (compressed, with trailer). */
    public long blockBytesRead() {
        return blockBytesRead.sum();
    }

    void recordBloomCheck(boolean negative) {
        (negative ? bloomNegatives : bloomPositives).increment();
    }

    void recordBloomFalsePositive() {
        bloomFalsePositives.increment();
    }

    void recordBlockRead(long bytes) {
        blockReads.increment();
        blockBytesRead.add(bytes);
    }

    @Override
    public String toString() {
        return "ReadStats[bloomChecks=" + bloomChecks() + ", bloomNegatives=" + bloomNegatives()
                + ", bloomFalsePositives=" + bloomFalsePositives() + ", blockReads=" + blockReads()
                + ", blockBytesRead=" + blockBytesRead() + "]";
    }
}
