package io.ringkv.cluster.membership;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A node's name in the cluster: stable across restarts (the generation changes, the id does
 * not). 1 to {@value #MAX_BYTES} bytes of UTF-8 with no control characters, so it can appear in
 * logs, vector clocks and the gossip wire format unchanged.
 */
public record NodeId(String value) implements Comparable<NodeId> {
    public static final int MAX_BYTES = 255;

    public NodeId {
        Objects.requireNonNull(value, "node id");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("node id must not be empty");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "node id must be at most " + MAX_BYTES + " UTF-8 bytes, was " + bytes);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(
                        "node id must not contain control characters (index " + i + ")");
            }
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    @Override
    public int compareTo(NodeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
