package io.ringkv.storage.engine;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.KeyValue;
import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.compaction.MergingIterator;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import io.ringkv.storage.memtable.Memtable;
import io.ringkv.storage.memtable.MergeRules;
import io.ringkv.storage.sstable.SSTableIterator;
import io.ringkv.storage.sstable.SSTableReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A scan over one ring range as a k-way merge of the memtables and tables of a pinned
 * {@link View}, resolving each key exactly as a point read does and skipping deleted keys.
 *
 * <p>The snapshot: tables and immutable memtables never change, and the pinned view keeps the
 * tables open. The active memtable does change (one record per key, replaced on every write),
 * so the addresses of the range's records in it are copied under the write lock when the scan
 * starts (records themselves never change) and sorted when the scan first reads them. A
 * wrapping range is walked as two pieces, (from, max] then [min, to], each opened only when
 * reached.
 */
final class RangeScan implements StorageEngine.RangeIterator {
    /** One non-wrapping piece: tokens in (from, to]; null from = from the start, null to = to the end. */
    record Piece(byte[] fromExclusive, byte[] toInclusive, Iterable<InternalEntry> activeCopy) {
    }

    private final View view;
    private final MergeOperator mergeOperator;
    private final EngineListener listener;
    private final ArrayDeque<Piece> pieces;
    private final List<SSTableIterator> openIterators = new ArrayList<>();
    private MergingIterator current;
    private KeyValue next;
    private boolean closed;

    /** @param view pinned by the caller; released by {@link #close()} */
    RangeScan(View view, List<Piece> pieces, MergeOperator mergeOperator, EngineListener listener) {
        this.view = view;
        this.pieces = new ArrayDeque<>(pieces);
        this.mergeOperator = mergeOperator;
        this.listener = listener;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            advance();
        } catch (CorruptionException e) {
            listener.onCorruption(e.file(), e.offset(), e.getMessage());
            throw e;
        }
        return next != null;
    }

    @Override
    public KeyValue next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue kv = next;
        next = null;
        return kv;
    }

    private void advance() {
        for (;;) {
            if (current == null) {
                Piece piece = pieces.poll();
                if (piece == null) {
                    return;
                }
                current = open(piece);
            }
            while (current.hasNext()) {
                List<InternalEntry> group = current.next();
                InternalEntry resolved = group.size() == 1 ? group.get(0)
                        : MergeRules.resolveNewestFirst(group, mergeOperator);
                byte[] value = MergeRules.valueOf(resolved, mergeOperator);
                if (value != null) {
                    next = new KeyValue(resolved.token(), resolved.key(), value);
                    return;
                }
            }
            closeOpenIterators();
            current = null;
        }
    }

    private MergingIterator open(Piece piece) {
        List<Iterator<InternalEntry>> runs = new ArrayList<>();
        runs.add(piece.activeCopy().iterator());
        List<Memtable> imm = view.immutables();
        for (int i = imm.size() - 1; i >= 0; i--) {
            Memtable m = imm.get(i);
            runs.add(bounded(piece.fromExclusive() == null ? m.iterator() : m.iteratorFrom(piece.fromExclusive()),
                    piece.toInclusive()));
        }
        for (SSTableReader r : view.tables().newestFirst) {
            SSTableIterator it = piece.fromExclusive() == null ? r.iterator() : r.iteratorFrom(piece.fromExclusive());
            openIterators.add(it);
            runs.add(bounded(it, piece.toInclusive()));
        }
        return new MergingIterator(runs);
    }

    private static Iterator<InternalEntry> bounded(Iterator<InternalEntry> it, byte[] toInclusive) {
        if (toInclusive == null) {
            return it;
        }
        return new Iterator<>() {
            private InternalEntry pending;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (pending == null && !done && it.hasNext()) {
                    InternalEntry e = it.next();
                    if (KeyOrder.compareUnsigned(e.token(), toInclusive) <= 0) {
                        pending = e;
                    } else {
                        done = true; // sorted: nothing further is in range
                    }
                }
                return pending != null;
            }

            @Override
            public InternalEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                InternalEntry e = pending;
                pending = null;
                return e;
            }
        };
    }

    private void closeOpenIterators() {
        for (SSTableIterator it : openIterators) {
            it.close();
        }
        openIterators.clear();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        next = null;
        pieces.clear();
        try {
            closeOpenIterators();
        } finally {
            view.tables().release();
        }
    }
}
