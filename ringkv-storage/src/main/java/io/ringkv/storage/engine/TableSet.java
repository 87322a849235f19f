package io.ringkv.storage.engine;

import io.ringkv.storage.sstable.SSTableReader;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable set of live tables in age order, reference-counted as a whole: a get or scan
 * pins every table it may read with one atomic increment instead of one per table. The engine
 * holds one reference to the current set and releases it when a flush or compaction installs
 * the next one; each table stays open while any set containing it is referenced.
 */
final class TableSet {
    final List<TableHandle> oldestFirst;
    final SSTableReader[] newestFirst;
    private final AtomicInteger refs = new AtomicInteger(1);

    TableSet(List<TableHandle> oldestFirst) {
        this.oldestFirst = List.copyOf(oldestFirst);
        this.newestFirst = new SSTableReader[oldestFirst.size()];
        for (int i = 0; i < oldestFirst.size(); i++) {
            TableHandle t = oldestFirst.get(i);
            t.retain();
            newestFirst[oldestFirst.size() - 1 - i] = t.reader;
        }
    }

    /** Takes a reference unless the set was already released for good. */
    boolean tryRetain() {
        for (;;) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            for (TableHandle t : oldestFirst) {
                t.release();
            }
        } else if (r < 0) {
            throw new IllegalStateException("table set released more often than retained");
        }
    }

    int size() {
        return oldestFirst.size();
    }

    long totalBytes() {
        long sum = 0;
        for (TableHandle t : oldestFirst) {
            sum += t.sizeBytes();
        }
        return sum;
    }

    long totalEntries() {
        long sum = 0;
        for (TableHandle t : oldestFirst) {
            sum += t.reader.metadata().entryCount();
        }
        return sum;
    }
}
