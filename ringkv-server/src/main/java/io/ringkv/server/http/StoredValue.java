package io.ringkv.server.http;

import java.util.Arrays;

/**
 * How the HTTP layer lays out the bytes it hands to {@code KvService}, so JSON values (from
 * {@code /api/v1/put}) and raw bytes (from {@code PUT /api/v1/kv/{key}}) can share one key
 * space and each read can give a value back in the form it was written:
 *
 * <pre>
 *   byte 0      type tag: 0x01 = JSON (payload is compact UTF-8 JSON text), 0x02 = BINARY
 *   bytes 1..n  payload
 * </pre>
 *
 * The store never looks inside; docs/http-api.md describes this layout for other clients.
 */
sealed interface StoredValue {
    byte TAG_JSON = 0x01;
    byte TAG_BINARY = 0x02;

    /** The value without its tag: JSON text or raw bytes. */
    byte[] payload();

    byte tag();

    default byte[] encode() {
        byte[] p = payload();
        byte[] out = new byte[p.length + 1];
        out[0] = tag();
        System.arraycopy(p, 0, out, 1, p.length);
        return out;
    }

    /**
     * Reverses {@link #encode()}. A value with another tag was not written through this API; it is
     * reported, not guessed at.
     */
    static StoredValue decode(byte[] stored) {
        if (stored.length == 0) {
            throw new IllegalStateException("stored value is empty: it has no type tag");
        }
        byte[] payload = Arrays.copyOfRange(stored, 1, stored.length);
        return switch (stored[0]) {
            case TAG_JSON -> new Json(payload);
            case TAG_BINARY -> new Binary(payload);
            default -> throw new IllegalStateException("stored value has unknown type tag " + stored[0]);
        };
    }

    record Json(byte[] payload) implements StoredValue {
        @Override
        public byte tag() {
            return TAG_JSON;
        }
    }

    record Binary(byte[] payload) implements StoredValue {
        @Override
        public byte tag() {
            return TAG_BINARY;
        }
    }
}
