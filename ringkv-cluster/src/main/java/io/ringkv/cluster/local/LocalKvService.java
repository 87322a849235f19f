package io.ringkv.cluster.local;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.service.NewVersions;
import io.ringkv.cluster.service.ReadResults;
import io.ringkv.cluster.service.RequestChecks;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageOptions;
import java.util.Objects;

/**
 * {@link KvService} for one node with no network: N = R = W = 1. A get returns the key's
 * sibling values and a context covering them; a put or delete writes a new version that
 * supersedes what its context covers (Dynamo §4.4), coordinated by this node: the dot is the
 * next dot of this node ({@link NewVersions}), the clock is truncated to {@code maxClockEntries}, and the
 * version goes to the {@link ReplicaStore} as a blind merge. Thread-safe.
 */
public final class LocalKvService implements KvService, AutoCloseable {
    /** On a single node every key has exactly one replica. */
    static final int REPLICAS = 1;

    private final ReplicaStore store;
    private final GuardedStore guarded;
    private final LocalKvConfig config;
    private final NewVersions versions;

    /** {@code store} must have been opened with {@link LocalKvConfig#replicaConfig} of the same config. */
    public LocalKvService(ReplicaStore store, LocalKvConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.guarded = new GuardedStore(store);
        this.versions = new NewVersions(config.nodeId(), config.clock(), config.maxClockEntries());
    }

    /** Opens the node's store in {@code storage.dataDirectory()} configured to match {@code config}. */
    public static LocalKvService open(StorageOptions storage, LocalKvConfig config, SiblingCapListener capListener) {
        try {
            return new LocalKvService(ReplicaStore.open(storage, config.replicaConfig(capListener)), config);
        } catch (StorageException e) {
            throw new StoreFailureException("could not open the store in " + storage.dataDirectory() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public GetResult get(byte[] key, RequestOptions options) {
        options = RequestChecks.orDefaults(options);
        RequestChecks.requireKey(key);
        RequestChecks.quorum("r", options.readQuorum(), REPLICAS, REPLICAS);
        RequestChecks.timeoutMillis(options, 0);
        return ReadResults.of(guarded.read(key), config.conflictPolicy());
    }

    @Override
    public PutResult put(byte[] key, String context, byte[] value, RequestOptions options) {
        return write(key, context, RequestChecks.requireValue(value), options);
    }

    @Override
    public PutResult delete(byte[] key, String context, RequestOptions options) {
        return write(key, context, null, options);
    }

    /** {@code value == null} writes a tombstone. */
    private PutResult write(byte[] key, String context, byte[] value, RequestOptions options) {
        options = RequestChecks.orDefaults(options);
        RequestChecks.requireKey(key);
        RequestChecks.quorum("w", options.writeQuorum(), REPLICAS, REPLICAS);
        RequestChecks.timeoutMillis(options, 0);
        Versioned version = versions.create(RequestChecks.decodeContext(context), value);
        guarded.apply(key, version);
        return new PutResult(ContextCodec.encode(version.clock()), REPLICAS);
    }

    public ReplicaStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
