package io.ringkv.it;

import java.time.Duration;

/**
 * One more node process, started by {@link LocalClusterProcesses#startCopyOf} on a copy of a
 * cluster node's data directory with that node's id at an address of its own: the duplicate-id
 * mistake. {@link #close} SIGKILLs it and removes its data; its config and log stay.
 *
 * @param spec    its directory and address; {@code spec.id()} names the directory, not the node id it claims
 * @param claimed the node id it runs with (the copied node's)
 */
record CopiedNodeProcess(NodeSpec spec, String claimed, NodeProcess process, KvClient client) implements AutoCloseable {

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its log's last lines, for failure messages. */
    public String logTail() {
        return NodeProcess.logTail(spec, 60);
    }

    @Override
    public void close() {
        process.destroy();
        client.close();
        LocalClusterProcesses.deleteRecursively(spec.dataDir());
    }

    static KvClient clientFor(NodeSpec spec, ClusterSettings settings) {
        return new KvClient(spec.httpBaseUrl(), Duration.ofMillis(settings.requestTimeoutMillis() + 5_000));
    }
}
