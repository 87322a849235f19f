package io.ringkv.storage.compaction;

import io.ringkv.storage.format.InternalEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * K-way merge of sorted runs (a binary heap of run heads, Knuth TAOCP vol. 3 §5.4.1) that
 * yields, for each (token, key) in engine order, every run's record of it NEWEST FIRST. Runs
 * are given newest first; each run holds at most one record per key, and runs never disagree
 * about age (seq ranges are disjoint and ordered), so run rank alone orders versions.
 */
public final class MergingIterator implements Iterator<List<InternalEntry>> {
    private record Head(InternalEntry entry, int rank, Iterator<InternalEntry> run) {
    }

    private final PriorityQueue<Head> heap;

    /** @param runsNewestFirst sorted runs, newest first */
    public MergingIterator(List<? extends Iterator<InternalEntry>> runsNewestFirst) {
        heap = new PriorityQueue<>(Math.max(1, runsNewestFirst.size()), (a, b) -> {
            int c = InternalEntry.ORDER.compare(a.entry, b.entry);
            return c != 0 ? c : Integer.compare(a.rank, b.rank);
        });
        for (int rank = 0; rank < runsNewestFirst.size(); rank++) {
            advance(runsNewestFirst.get(rank), rank);
        }
    }

    private void advance(Iterator<InternalEntry> run, int rank) {
        if (run.hasNext()) {
            heap.add(new Head(run.next(), rank, run));
        }
    }

    @Override
    public boolean hasNext() {
        return !heap.isEmpty();
    }

    /** The records of the next key, newest first. */
    @Override
    public List<InternalEntry> next() {
        Head first = heap.poll();
        if (first == null) {
            throw new NoSuchElementException();
        }
        List<InternalEntry> group = new ArrayList<>(2);
        group.add(first.entry);
        advance(first.run, first.rank);
        while (!heap.isEmpty() && InternalEntry.ORDER.compare(heap.peek().entry, first.entry) == 0) {
            Head h = heap.poll();
            group.add(h.entry);
            advance(h.run, h.rank);
        }
        return group;
    }

    /** The (token, key) of the next group without consuming it, or null. */
    public InternalEntry peek() {
        Head h = heap.peek();
        return h == null ? null : h.entry;
    }
}
