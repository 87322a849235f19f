package io.ringkv.storage.compaction;

import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.sstable.SSTableIterator;
import io.ringkv.storage.sstable.SSTableMetadata;
import io.ringkv.storage.sstable.SSTableReader;
import io.ringkv.storage.sstable.SSTableWriter;
import io.ringkv.storage.sstable.SSTableWriterOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Does a compaction the {@link CompactionPicker} chose: merges the input tables into one,
 * keeping per key only what {@link PurgeRule} says survives. Reads and writes files; decides
 * nothing. The output is durable under its final name when this returns, but it is not live
 * until the caller records it in the manifest; a crash before that leaves an orphan that the
 * next open deletes.
 */
public final class Compactor {
    /**
     * @param output       the new table's metadata, or null if every record was purged (no file)
     * @param inputBytes   size of the inputs on disk
     * @param entriesRead  records read from the inputs
     * @param entriesWritten records written
     */
    public record Result(SSTableMetadata output, long inputBytes, long entriesRead, long entriesWritten) {
        public long outputBytes() {
            return output == null ? 0 : output.fileSizeBytes();
        }
    }

    private final PurgeRule purgeRule;

    public Compactor(PurgeRule purgeRule) {
        this.purgeRule = purgeRule;
    }

    /**
     * @param inputsNewestFirst the tables to merge, newest first; the caller keeps them open
     * @param includesOldest    whether they include the oldest live table
     * @param cancelled         polled as records are merged; when true the output is abandoned
     * @throws CancellationException if {@code cancelled} turned true (the engine is closing)
     */
    public Result compact(List<SSTableReader> inputsNewestFirst, boolean includesOldest, long nowMillis,
            Path outputPath, SSTableWriterOptions writerOptions, BooleanSupplier cancelled) {
        long expected = 0;
        long inputBytes = 0;
        for (SSTableReader r : inputsNewestFirst) {
            expected += r.metadata().entryCount();
            inputBytes += r.metadata().fileSizeBytes();
        }
        List<SSTableIterator> runs = new ArrayList<>(inputsNewestFirst.size());
        long read = 0;
        long written = 0;
        try (SSTableWriter writer = SSTableWriter.create(outputPath, new SSTableWriterOptions(
                writerOptions.blockSizeBytes(), writerOptions.compression(), writerOptions.bloomFalsePositiveRate(),
                Math.max(1, expected)))) {
            for (SSTableReader r : inputsNewestFirst) {
                runs.add(r.iterator());
            }
            MergingIterator merged = new MergingIterator(runs);
            while (merged.hasNext()) {
                if ((read & 1023) == 0 && cancelled.getAsBoolean()) {
                    throw new CancellationException("compaction into " + outputPath + " cancelled");
                }
                List<InternalEntry> group = merged.next();
                read += group.size();
                InternalEntry survivor = purgeRule.survivor(group, includesOldest, nowMillis);
                if (survivor != null) {
                    writer.append(survivor);
                    written++;
                }
            }
            SSTableMetadata output = written == 0 ? null : writer.finish();
            return new Result(output, inputBytes, read, written);
        } finally {
            for (SSTableIterator it : runs) {
                it.close();
            }
        }
    }
}
