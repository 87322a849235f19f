package io.ringkv.server.config;

import io.ringkv.cluster.streaming.StreamingConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one node is configured with, read from one YAML file by {@link NodeConfigLoader}.
 * Every key, its default and its meaning are listed in docs/configuration.md.
 *
 * @param nodeId        this node's name, unique in the cluster; it is the node's entry in vector clocks
 * @param dataDirectory where the storage engine keeps its files
 * @param memory        how the node's memory is divided ({@code node.memory}); {@code storage} holds the sizes it gave
 */
public record NodeConfig(
        String nodeId,
        Path dataDirectory,
        HttpConfig http,
        StorageConfig storage,
        LimitsConfig limits,
        VersioningConfig versioning,
        ClusterConfig cluster,
        ReplicationConfig replication,
        AntiEntropySettings antiEntropy,
        StreamingConfig streaming,
        Optional<String> replace,
        MemoryPlan memory) {

    public NodeConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(versioning, "versioning");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(antiEntropy, "antiEntropy");
        Objects.requireNonNull(streaming, "streaming");
        Objects.requireNonNull(replace, "replace");
        Objects.requireNonNull(memory, "memory");
    }

    /** Every default, with the data in {@code dataDirectory} (for tests and embedding). */
    public static NodeConfig defaults(Path dataDirectory) {
        return NodeConfigLoader.parse("", dataDirectory.toAbsolutePath()).withDataDirectory(dataDirectory.toAbsolutePath());
    }

    public NodeConfig withDataDirectory(Path newDataDirectory) {
        return new NodeConfig(nodeId, newDataDirectory, http, storage, limits, versioning, cluster, replication, antiEntropy, streaming, replace, memory);
    }

    public NodeConfig withHttp(HttpConfig newHttp) {
        return new NodeConfig(nodeId, dataDirectory, newHttp, storage, limits, versioning, cluster, replication, antiEntropy, streaming, replace, memory);
    }

    public NodeConfig withStorage(StorageConfig newStorage) {
        return new NodeConfig(nodeId, dataDirectory, http, newStorage, limits, versioning, cluster, replication, antiEntropy, streaming, replace, memory);
    }

    public NodeConfig withLimits(LimitsConfig newLimits) {
        return new NodeConfig(nodeId, dataDirectory, http, storage, newLimits, versioning, cluster, replication, antiEntropy, streaming, replace, memory);
    }

    public NodeConfig withCluster(ClusterConfig newCluster) {
        return new NodeConfig(nodeId, dataDirectory, http, storage, limits, versioning, newCluster, replication, antiEntropy, streaming, replace, memory);
    }

    public NodeConfig withReplication(ReplicationConfig newReplication) {
        return new NodeConfig(nodeId, dataDirectory, http, storage, limits, versioning, cluster, newReplication, antiEntropy, streaming, replace, memory);
    }

    public NodeConfig withNodeId(String newNodeId) {
        return new NodeConfig(newNodeId, dataDirectory, http, storage, limits, versioning, cluster, replication, antiEntropy, streaming, replace, memory);
    }

    public NodeConfig withVersioning(VersioningConfig newVersioning) {
        return new NodeConfig(nodeId, dataDirectory, http, storage, limits, newVersioning, cluster, replication, antiEntropy, streaming, replace, memory);
    }

    public NodeConfig withAntiEntropy(AntiEntropySettings newAntiEntropy) {
        return new NodeConfig(nodeId, dataDirectory, http, storage, limits, versioning, cluster, replication, newAntiEntropy,
                streaming, replace, memory);
    }

    public NodeConfig withStreaming(StreamingConfig newStreaming) {
        return new NodeConfig(nodeId, dataDirectory, http, storage, limits, versioning, cluster, replication, antiEntropy,
                newStreaming, replace, memory);
    }
}
