package io.ringkv.storage;

import io.ringkv.storage.format.EntryKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** Writes applied atomically by {@link StorageEngine#write}. Not thread-safe while being built. */
public final class WriteBatch {
    /** One operation in a batch; {@code value} is empty for deletes. */
    public record Op(EntryKind kind, byte[] key, byte[] value) {
        public Op {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    private static final byte[] EMPTY = new byte[0];
    private final List<Op> ops = new ArrayList<>();

    public WriteBatch put(byte[] key, byte[] value) {
        ops.add(new Op(EntryKind.PUT, key, value));
        return this;
    }

    public WriteBatch merge(byte[] key, byte[] operand) {
        ops.add(new Op(EntryKind.MERGE, key, operand));
        return this;
    }

    public WriteBatch delete(byte[] key) {
        ops.add(new Op(EntryKind.DELETE, key, EMPTY));
        return this;
    }

    public List<Op> ops() {
        return Collections.unmodifiableList(ops);
    }

    public int size() {
        return ops.size();
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }
}
