package io.ringkv.cluster.api;

import java.util.List;

/**
 * The outcome of a get.
 *
 * @param values  every live concurrent version (siblings); empty when the key is absent or deleted
 * @param context opaque, covers every version seen (including tombstones), to pass back on the next
 *                put; {@code null} when nothing at all is stored for the key
 */
public record GetResult(List<byte[]> values, String context) {
    public GetResult {
        values = List.copyOf(values);
    }

    public boolean isAbsent() {
        return values.isEmpty();
    }
}
