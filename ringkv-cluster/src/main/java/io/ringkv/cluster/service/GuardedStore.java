package io.ringkv.cluster.service;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.PendingDurability;
import io.ringkv.storage.StorageException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

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
        return guarded("read", () -> store.read(key));
    }

    /** {@link ReplicaStore#readIfInMemory}: null when answering needs the disk. */
    public Siblings readIfInMemory(byte[] key) {
        return guarded("read", () -> store.readIfInMemory(key));
    }

    public void apply(byte[] key, Versioned version) {
        guarded("write", () -> {
            store.apply(key, version);
            return null;
        });
    }

    /**
     * {@link ReplicaStore#applyVisible}: the version is readable on return; awaiting the result
     * fails with {@link StoreFailureException}, as {@link #apply} would, if it cannot be made durable.
     */
    public PendingDurability applyVisible(byte[] key, Versioned version) {
        return guardedWait(guarded("write", () -> store.applyVisible(key, version)));
    }

    /** {@link ReplicaStore#tryApplyVisible}: null when the engine would stall the write. */
    public PendingDurability tryApplyVisible(byte[] key, Versioned version) {
        PendingDurability pending = guarded("write", () -> store.tryApplyVisible(key, version));
        return pending == null ? null : guardedWait(pending);
    }

    /** {@link ReplicaStore#tryApplyAllVisible}: null when the engine would stall the write. */
    public PendingDurability tryApplyAllVisible(byte[] key, Siblings siblings) {
        PendingDurability pending = guarded("write", () -> store.tryApplyAllVisible(key, siblings));
        return pending == null ? null : guardedWait(pending);
    }

    private static PendingDurability guardedWait(PendingDurability pending) {
        return new PendingDurability() {
            @Override
            public boolean isDurable() {
                return pending.isDurable();
            }

            @Override
            public void awaitDurable() {
                guarded("write", () -> {
                    pending.awaitDurable();
                    return null;
                });
            }

            @Override
            public CompletableFuture<Void> whenDurable() {
                CompletableFuture<Void> durable = pending.whenDurable();
                if (durable.isDone() && !durable.isCompletedExceptionally()) {
                    return durable;
                }
                return durable.handle((ok, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                        throw cause instanceof RuntimeException e ? translated("write", e) : new CompletionException(cause);
                    }
                    return null;
                });
            }
        };
    }

    public void applyAll(byte[] key, Siblings siblings) {
        guarded("write", () -> {
            store.applyAll(key, siblings);
            return null;
        });
    }

    private static <T> T guarded(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (StorageException | IllegalArgumentException e) {
            throw translated(what, e);
        }
    }

    /** The cluster's exception for the engine's: a store failure, or a bad request for the engine's own limits. */
    private static RuntimeException translated(String what, RuntimeException e) {
        return switch (e) {
            case StorageException s -> new StoreFailureException(what + " failed: " + s.getMessage(), s);
            case IllegalArgumentException i -> new InvalidRequestException(i.getMessage(), i); // key or value size
            default -> e;
        };
    }
}
