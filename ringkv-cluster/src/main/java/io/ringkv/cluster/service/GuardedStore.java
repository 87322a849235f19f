package io.ringkv.cluster.service;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.StorageException;
import java.util.Objects;

/**
 * A {@link ReplicaStore} whose failures are already in the service's terms: a storage error
 * (I/O, corruption, unreadable versions) becomes {@link StoreFailureException}, and the engine's
 * own limits (key or value size, reported as {@link IllegalArgumentException}) become
 * {@link InvalidRequestException}. Thread-safe, as the store is.
 */
public final class GuardedStore {
    private final ReplicaStore store;

    public GuardedStore(ReplicaStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public Siblings read(byte[] key) {
        try {
            return store.read(key);
        } catch (StorageException e) {
            throw new StoreFailureException("read failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    public void apply(byte[] key, Versioned version) {
        try {
            store.apply(key, version);
        } catch (StorageException e) {
            throw new StoreFailureException("write failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    public void applyAll(byte[] key, Siblings siblings) {
        try {
            store.applyAll(key, siblings);
        } catch (StorageException e) {
            throw new StoreFailureException("write failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    public ReplicaStore unwrap() {
        return store;
    }
}
