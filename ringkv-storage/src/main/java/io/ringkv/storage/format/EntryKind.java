package io.ringkv.storage.format;

/**
 * What one record says about its key. The byte codes are part of the on-disk formats
 * (commit log and SSTable); never renumber them.
 */
public enum EntryKind {
    /** A complete value: nothing older matters. */
    PUT((byte) 1),
    /** A tombstone: the key is absent; older records are shadowed. */
    DELETE((byte) 2),
    /** A merge operand: combined with older records by the engine's {@code MergeOperator}. */
    MERGE((byte) 3);

    private final byte code;

    EntryKind(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    /** Decodes a kind byte read from disk; an unknown code means the bytes are corrupt. */
    public static EntryKind fromCode(byte code) {
        return switch (code) {
            case 1 -> PUT;
            case 2 -> DELETE;
            case 3 -> MERGE;
            default -> throw new IllegalArgumentException("unknown entry kind code " + code);
        };
    }
}
