package io.ringkv.cli.cluster;

import java.nio.file.Path;

/**
 * Where one local node keeps its files: {@code DIR/nodeK/} holds {@code ringkv.yaml},
 * {@code data/}, {@code node.log} (the process's stdout and stderr, appended across restarts)
 * and {@code ringkv.pid} while it runs.
 *
 * @param index K, from 1
 * @param dir   {@code DIR/nodeK}, absolute
 */
public record NodeLayout(int index, Path dir) {
    public NodeLayout {
        if (index < 1) {
            throw new IllegalArgumentException("node index must be at least 1, got " + index);
        }
        dir = dir.toAbsolutePath().normalize();
    }

    public String id() {
        return "node" + index;
    }

    public Path config() {
        return dir.resolve("ringkv.yaml");
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path log() {
        return dir.resolve("node.log");
    }

    public Path pidFile() {
        return dir.resolve("ringkv.pid");
    }

    /** The node JVM's ahead-of-time cache ({@link AotCache}). */
    public Path aotCache() {
        return dir.resolve("node.aot");
    }
}
