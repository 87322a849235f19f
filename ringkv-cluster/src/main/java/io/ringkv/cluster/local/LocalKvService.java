package io.ringkv.cluster.local;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.DotCounter;
import io.ringkv.core.version.InvalidContextException;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.VectorClock;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageOptions;
import java.util.List;
import java.util.Objects;

/**
 * {@link KvService} for one node with no network: N = R = W = 1. A get returns the key's
 * sibling values and a context covering them; a put or delete writes a new version that
 * supersedes what its context covers (Dynamo §4.4), coordinated by this node: the dot is the
 * next {@link DotCounter} value, the clock is truncated to {@code maxClockEntries}, and the
 * version goes to the {@link ReplicaStore} as a blind merge. Thread-safe.
 */
public final class LocalKvService implements KvService, AutoCloseable {
    /** On a single node every key has exactly one replica. */
    static final int REPLICAS = 1;

    private final ReplicaStore store;
    private final LocalKvConfig config;
    private final DotCounter dots;

    /** {@code store} must have been opened with {@link LocalKvConfig#replicaConfig} of the same config. */
    public LocalKvService(ReplicaStore store, LocalKvConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.dots = new DotCounter(config.nodeId());
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
        options = orDefaults(options);
        requireKey(key);
        requireQuorum("r", options.readQuorum());
        requireTimeout(options);
        Siblings siblings = read(key);
        if (siblings.isEmpty()) {
            return new GetResult(List.of(), null);
        }
        List<byte[]> values = config.conflictPolicy() == ConflictPolicy.LWW
                ? siblings.resolveLww().filter(v -> !v.tombstone()).map(v -> List.of(v.value())).orElse(List.of())
                : siblings.liveValues();
        return new GetResult(values, ContextCodec.encode(siblings.mergedClock()));
    }

    @Override
    public PutResult put(byte[] key, String context, byte[] value, RequestOptions options) {
        if (value == null) {
            throw new InvalidRequestException("value must not be null (use delete to remove a key)");
        }
        return write(key, context, value, options);
    }

    @Override
    public PutResult delete(byte[] key, String context, RequestOptions options) {
        return write(key, context, null, options);
    }

    /** {@code value == null} writes a tombstone. */
    private PutResult write(byte[] key, String context, byte[] value, RequestOptions options) {
        options = orDefaults(options);
        requireKey(key);
        requireQuorum("w", options.writeQuorum());
        requireTimeout(options);
        VectorClock seen = decodeContext(context);
        long nowMillis = config.clock().millis();
        Versioned version;
        try {
            version = Versioned.newWrite(seen, dots.next(seen, nowMillis), value, nowMillis, config.maxClockEntries());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("invalid context: " + e.getMessage(), e);
        }
        try {
            store.apply(key, version);
        } catch (StorageException e) {
            throw new StoreFailureException("write failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // the engine's own limits (key or value size)
            throw new InvalidRequestException(e.getMessage(), e);
        }
        return new PutResult(ContextCodec.encode(version.clock()), REPLICAS);
    }

    private Siblings read(byte[] key) {
        try {
            return store.read(key);
        } catch (StorageException e) {
            throw new StoreFailureException("read failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // the engine's own limits (key size)
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    private static VectorClock decodeContext(String context) {
        if (context == null) {
            return VectorClock.EMPTY;
        }
        try {
            return ContextCodec.decode(context);
        } catch (InvalidContextException e) {
            throw new InvalidRequestException("invalid context: " + e.getMessage(), e);
        }
    }

    private static RequestOptions orDefaults(RequestOptions options) {
        return options == null ? RequestOptions.DEFAULTS : options;
    }

    private static void requireKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new InvalidRequestException("key must not be empty");
        }
    }

    /** 0 means the default (1); anything else must be 1 because N = 1. */
    private static void requireQuorum(String name, int quorum) {
        if (quorum != 0 && quorum != REPLICAS) {
            throw new InvalidRequestException(name + " must be between 1 and N=" + REPLICAS + ", got " + quorum);
        }
    }

    private static void requireTimeout(RequestOptions options) {
        if (options.timeoutMillis() < 0) {
            throw new InvalidRequestException("timeout must not be negative, got " + options.timeoutMillis() + " ms");
        }
    }

    public ReplicaStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
