package io.ringkv.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One stored version of a key: its bytes and whether it was written as JSON (docs/http-api.md,
 * "How JSON and raw values coexist"). A JSON version's bytes are its compact UTF-8 JSON text.
 *
 * @param value the bytes as stored (not copied: do not modify)
 * @param json  whether the version was written as a JSON value
 */
public record Version(byte[] value, boolean json) {
    public Version {
        if (value == null) {
            throw new NullPointerException("value");
        }
    }

    /** The bytes as UTF-8 text (for JSON versions, the JSON text). */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && json == v.json && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(value) + Boolean.hashCode(json);
    }

    @Override
    public String toString() {
        return (json ? "json:" : "bytes:") + (json ? text() : value.length + " B");
    }
}
