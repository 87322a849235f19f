package io.ringkv.core.version;

import java.nio.charset.StandardCharsets;

/** The one rule for node ids inside clocks, so every encoder can rely on it. */
final class NodeIds {
    /** Node ids are length-prefixed by one byte in every encoding. */
    static final int MAX_BYTES = 255;

    private NodeIds() {
    }

    static String require(String nodeId) {
        if (nodeId == null) {
            throw new IllegalArgumentException("node id must not be null");
        }
        if (nodeId.isEmpty()) {
            throw new IllegalArgumentException("node id must not be empty");
        }
        // A UTF-8 char needs at most 3 bytes per UTF-16 unit, so short ids skip the encoding.
        if (nodeId.length() * 3 > MAX_BYTES && nodeId.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("node id must be at most " + MAX_BYTES + " UTF-8 bytes: " + nodeId.substring(0, 32) + "...");
        }
        return nodeId;
    }
}
