package io.ringkv.storage;

/** Block compression of SSTable data blocks. The codes are part of the SSTable format. */
public enum Compression {
    NONE((byte) 0),
    LZ4((byte) 1);

    private final byte code;

    Compression(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static Compression fromCode(byte code) {
        return switch (code) {
            case 0 -> NONE;
            case 1 -> LZ4;
            default -> throw new IllegalArgumentException("unknown compression code " + code);
        };
    }
}
