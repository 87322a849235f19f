package io.ringkv.storage.memtable;

import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.util.List;

/**
 * How records of one key combine, used identically by the memtable (when a write lands on an
 * existing record), by reads (across memtables and tables) and by compaction, so all three
 * agree by construction:
 *
 * <ul>
 *   <li>A PUT or DELETE shadows everything older.</li>
 *   <li>A MERGE over a PUT is a PUT of {@code apply(key, value, operand)}.</li>
 *   <li>A MERGE over a DELETE is a PUT of {@code apply(key, null, operand)}.</li>
 *   <li>A MERGE over a MERGE is a MERGE of {@code apply(key, olderOperand, newerOperand)}; this is
 *       where the operator's associativity is relied on.</li>
 * </ul>
 *
 * The result carries the newest record's seq and timestamp: it stands for the key as of then.
 */
public final class MergeRules {
    private MergeRules() {
    }

    /** Combines an older and a newer record of the same key. */
    public static InternalEntry combine(InternalEntry older, InternalEntry newer, MergeOperator op) {
        if (newer.kind() != EntryKind.MERGE || older == null) {
            return newer;
        }
        byte[] key = newer.key();
        return switch (older.kind()) {
            case PUT -> with(newer, EntryKind.PUT, apply(op, key, older.value(), newer.value()));
            case DELETE -> with(newer, EntryKind.PUT, apply(op, key, null, newer.value()));
            case MERGE -> with(newer, EntryKind.MERGE, apply(op, key, older.value(), newer.value()));
        };
    }

    /**
     * Resolves records of one key given newest first: stops at the first PUT or DELETE and folds
     * the merge operands above it. Returns a PUT, a DELETE, or a MERGE when no base was found.
     */
    public static InternalEntry resolveNewestFirst(List<InternalEntry> newestFirst, MergeOperator op) {
        int n = newestFirst.size();
        int base = 0;
        while (base < n && newestFirst.get(base).kind() == EntryKind.MERGE) {
            base++;
        }
        InternalEntry acc = base < n ? newestFirst.get(base) : newestFirst.get(n - 1);
        int from = base < n ? base - 1 : n - 2;
        for (int i = from; i >= 0; i--) {
            acc = combine(acc, newestFirst.get(i), op);
        }
        return acc;
    }

    /** The user-visible value of a resolved record with nothing older: null if deleted. */
    public static byte[] valueOf(InternalEntry resolved, MergeOperator op) {
        return switch (resolved.kind()) {
            case PUT -> resolved.value();
            case DELETE -> null;
            case MERGE -> apply(op, resolved.key(), null, resolved.value());
        };
    }

    /** A MERGE with nothing older left anywhere becomes the PUT it stands for. */
    public static InternalEntry baseless(InternalEntry resolved, MergeOperator op) {
        if (resolved.kind() != EntryKind.MERGE) {
            return resolved;
        }
        return with(resolved, EntryKind.PUT, apply(op, resolved.key(), null, resolved.value()));
    }

    private static byte[] apply(MergeOperator op, byte[] key, byte[] older, byte[] newer) {
        if (op == null) {
            throw new IllegalStateException("a merge record was found but no merge operator is configured");
        }
        byte[] v = op.apply(key, older, newer);
        if (v == null) {
            throw new IllegalStateException("the merge operator returned null");
        }
        return v;
    }

    private static InternalEntry with(InternalEntry e, EntryKind kind, byte[] value) {
        return new InternalEntry(e.token(), e.key(), e.seq(), kind, e.timestampMillis(), value);
    }
}
