package io.ringkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** What {@code admin put} and {@code admin delete} share: the context of a read, the write quorum, the request body. */
final class AdminWriteOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--context", paramLabel = "C",
            description = "the context of an earlier get: the write supersedes the versions it saw (else it is concurrent with them)")
    String context;
    @Option(names = "--w", paramLabel = "W", description = "write quorum (default: the cluster's)")
    Integer w;

    /** {@code {"key": KEY, "context": C}}, without the context when none was given. */
    ObjectNode body(String key) {
        ObjectNode body = JSON.createObjectNode().put("key", key);
        if (context != null) {
            body.put("context", context);
        }
        return body;
    }

    String path(String endpoint) {
        return endpoint + (w == null ? "" : "?w=" + w);
    }
}
