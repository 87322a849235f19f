package io.ringkv.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/** One node's join or decommission streaming ({@code GET /api/v1/admin/streaming}) in a few words, for status lines. */
public final class StreamingNote {
    private StreamingNote() {
    }

    /** "join: 312 of 703 ranges, 412005 keys, 98 MiB", or empty when the stream is over. */
    public static String describe(JsonNode progress) {
        String state = progress.path("state").asText();
        if (state.equals("DONE")) {
            return "";
        }
        return progress.path("kind").asText() + (state.equals("STREAMING") ? "" : " " + state) + ": "
                + progress.path("rangesDone").asInt() + " of " + progress.path("rangesTotal").asInt() + " ranges, "
                + progress.path("keys").asLong() + " keys, " + (progress.path("bytes").asLong() >> 20) + " MiB";
    }
}
