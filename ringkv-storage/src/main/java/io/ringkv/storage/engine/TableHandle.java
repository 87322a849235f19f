package io.ringkv.storage.engine;

import io.ringkv.storage.sstable.SSTableReader;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live table's reader, reference-counted by the {@link TableSet}s that contain it. When the
 * last set holding it is released the reader is closed, and if a compaction replaced the table
 * its file is deleted: so a compaction can drop a table while gets and scans still read it.
 */
final class TableHandle {
    private static final Logger LOG = LoggerFactory.getLogger(TableHandle.class);

    final SSTableReader reader;
    private final AtomicInteger refs = new AtomicInteger();
    private volatile boolean obsolete;

    TableHandle(SSTableReader reader) {
        this.reader = reader;
    }

    long id() {
        return reader.tableId();
    }

    long sizeBytes() {
        return reader.metadata().fileSizeBytes();
    }

    void retain() {
        refs.incrementAndGet();
    }

    /** The manifest no longer lists this table: delete its file once no one reads it. */
    void markObsolete() {
        obsolete = true;
    }

    void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            reader.close();
            if (obsolete) {
                try {
                    Files.deleteIfExists(reader.path());
                } catch (IOException e) {
                    LOG.warn("cannot delete compacted table {}; the next open deletes it", reader.path(), e);
                }
            }
        } else if (r < 0) {
            throw new IllegalStateException("table " + reader.path() + " released more often than retained");
        }
    }
}
