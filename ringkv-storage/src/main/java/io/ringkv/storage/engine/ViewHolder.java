package io.ringkv.storage.engine;

import io.ringkv.storage.memtable.Memtable;

/**
 * Publishes the current {@link View}. Readers pin a view (its tables) lock-free; changes are
 * rare (memtable swap, flush done, compaction done) and serialized by a monitor.
 */
final class ViewHolder {
    private volatile View view;
    private volatile boolean closed;
    private final Object lock = new Object();

    ViewHolder(View initial) {
        this.view = initial;
    }

    /** The current view with its tables pinned; the caller must {@code release()} its tables. */
    View acquire() {
        for (;;) {
            View v = view;
            if (v.tables().tryRetain()) {
                return v;
            }
            if (closed) {
                throw new io.ringkv.storage.EngineClosedException("the engine is closed");
            }
            // The set was released between the read and the retain: a newer view is published.
        }
    }

    /** The current view, unpinned: only for decisions, never to read tables. */
    View current() {
        return view;
    }

    void swapActive(Memtable fresh) {
        synchronized (lock) {
            view = view.withSwappedActive(fresh);
        }
    }

    void installFlushed(Memtable flushed, TableSet next) {
        View old;
        synchronized (lock) {
            old = view;
            view = old.withFlushed(flushed, next);
        }
        old.tables().release();
    }

    void installTables(TableSet next) {
        View old;
        synchronized (lock) {
            old = view;
            view = old.withTables(next);
        }
        old.tables().release();
    }

    /** Drops the engine's own reference to the current tables (at close). */
    void releaseTables() {
        synchronized (lock) {
            if (!closed) {
                closed = true;
                view.tables().release();
            }
        }
    }
}
