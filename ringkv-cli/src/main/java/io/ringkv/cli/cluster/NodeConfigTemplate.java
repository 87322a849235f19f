package io.ringkv.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ringkv.yaml that {@code cluster start} writes for a new local node. An existing file is
 * never overwritten, so edits survive restarts; anything not written here takes its default
 * (docs/configuration.md).
 */
public final class NodeConfigTemplate {
    public static final String HOST = "127.0.0.1";

    private NodeConfigTemplate() {
    }

    /** Writes {@code node.config()} unless it exists; returns true if it wrote it. */
    public static boolean writeIfAbsent(NodeLayout node, int nodeCount, int httpPort) {
        if (Files.exists(node.config())) {
            return false;
        }
        try {
            Files.createDirectories(node.dir());
            Path tmp = node.dir().resolve("ringkv.yaml.tmp");
            Files.writeString(tmp, render(node, nodeCount, httpPort));
            Files.move(tmp, node.config(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + node.config(), e);
        }
    }

    static String render(NodeLayout node, int nodeCount, int httpPort) {
        return """
                # Written by `ringkv cluster start` for %s (of %d). Kept on later starts: edit freely.
                # Every key and its default: docs/configuration.md
                node:
                  id: %s
                  dataDir: "%s"
                http:
                  host: %s
                  port: %d
                %s""".formatted(node.id(), nodeCount, node.id(), yamlEscape(node.dataDir().toString()), HOST, httpPort,
                clusterSection(node, nodeCount));
    }

    /**
     * Inter-node settings for this node. Empty for now: a single node needs none. The cluster
     * issue fills this in (peer port, seeds, and the 3-node default of {@code cluster start}).
     */
    static String clusterSection(NodeLayout node, int nodeCount) {
        return "";
    }

    private static String yamlEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
