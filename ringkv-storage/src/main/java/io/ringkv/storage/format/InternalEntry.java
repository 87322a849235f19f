package io.ringkv.storage.format;

import java.util.Comparator;
import java.util.Objects;

/**
 * One record as the engine keeps it internally, in the commit log, memtables and SSTables.
 *
 * @param token           the key's ring token, {@link KeyOrder#token(byte[])}; carried so it is hashed once
 * @param key             the user key
 * @param seq             the engine-wide sequence number of the write; higher is newer
 * @param kind            PUT, DELETE or MERGE
 * @param timestampMillis wall-clock time of the write, used to age tombstones for purging
 * @param value           the value or merge operand; empty (never null) for DELETE
 */
public record InternalEntry(byte[] token, byte[] key, long seq, EntryKind kind, long timestampMillis, byte[] value) {

    /** Engine order: (token, key). Versions of one key are never both in one sorted run. */
    public static final Comparator<InternalEntry> ORDER =
            (a, b) -> KeyOrder.compare(a.token, a.key, b.token, b.key);

    public InternalEntry {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (token.length != KeyOrder.TOKEN_BYTES) {
            throw new IllegalArgumentException("token must be " + KeyOrder.TOKEN_BYTES + " bytes, was " + token.length);
        }
    }

    public static InternalEntry of(byte[] key, long seq, EntryKind kind, long timestampMillis, byte[] value) {
        return new InternalEntry(KeyOrder.token(key), key, seq, kind, timestampMillis, value);
    }

    /** Approximate heap footprint, for memtable accounting. */
    public long sizeBytes() {
        return 64L + token.length + key.length + value.length;
    }
}
