package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.transport.Transport;
import java.util.Objects;

/**
 * {@link KvService} of a cluster node: the quorum coordinator (Dynamo §4.5). Skeleton; filled in next.
 */
public final class ClusterKvService implements KvService, AutoCloseable {
    private final ClusterView view;
    private final Transport transport;
    private final ReplicaStore store;
    private final CoordinatorConfig config;
    private final CoordinatorListener listener;

    /** Registers this node's message handlers on {@code transport}; call before {@code transport.start()}. */
    public ClusterKvService(ClusterView view, Transport transport, ReplicaStore store, CoordinatorConfig config,
                            CoordinatorListener listener) {
        this.view = Objects.requireNonNull(view, "view");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** N: the HTTP layer validates r and w in 1..N. */
    public int replicationFactor() {
        return config.replicationFactor();
    }

    @Override
    public GetResult get(byte[] key, RequestOptions options) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public PutResult put(byte[] key, String context, byte[] value, RequestOptions options) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public PutResult delete(byte[] key, String context, RequestOptions options) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Stops accepting work; does not close the store or the transport (the node owns them). */
    @Override
    public void close() {
    }
}
