package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvException;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.handoff.HintStoreFullException;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.version.Siblings;
import io.ringkv.storage.PendingDurability;
import io.ringkv.storage.StorageException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the coordinator's messages from peers: REPLICA_READ and REPLICA_WRITE against the local
 * store, COORDINATE_WRITE by coordinating the forwarded write here. A REPLICA_READ is answered on
 * the transport's thread when memory holds the answer (memtables, block cache), and a
 * REPLICA_WRITE is applied there when that cannot block (a memtable insert and the log's
 * write(2)) and answered there when no fsync needs waiting for, or else by the commit log's sync
 * thread once its fsync is done: no thread is held per write. A forwarded write's quorum round
 * starts there too: the coordinator never blocks. What may block (a read from disk, a write
 * stall) runs on the coordinator's executor, never on the transport's thread. Every outcome is a reply: success, or a typed error
 * ({@link ReplyStatus}), including for payloads that do not decode, which are also logged and
 * counted. Only a bug (an unexpected exception) surfaces as the transport's handler failure.
 */
final class ReplicaHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaHandlers.class);

    /** Coordinates a forwarded write with the key's replicas in this node's view. */
    interface ForwardedWrites {
        /** Never blocks; the future fails with a {@link KvException} when the write does. */
        CompletableFuture<PutResult> coordinate(ForwardMessages.Forwarded forwarded);
    }

    private final GuardedStore store;
    private final ForwardedWrites forwardedWrites;
    private final Executor executor;
    private final CoordinatorListener listener;
    private final HintStore hints;
    private final Clock clock;

    /** {@code hints} null: this node keeps no hints, and refuses HINTED_WRITE with a store failure. */
    ReplicaHandlers(GuardedStore store, ForwardedWrites forwardedWrites, Executor executor, CoordinatorListener listener,
                    HintStore hints, Clock clock) {
        this.hints = hints;
        this.clock = clock;
        this.store = store;
        this.forwardedWrites = forwardedWrites;
        this.executor = executor;
        this.listener = listener;
    }

    void registerOn(Transport transport) {
        transport.register(MessageTypes.REPLICA_READ, this::replicaRead);
        transport.register(MessageTypes.REPLICA_WRITE, this::replicaWrite);
        transport.register(MessageTypes.COORDINATE_WRITE, this::coordinateWrite);
        transport.register(MessageTypes.HINTED_WRITE, this::hintedWrite);
        transport.register(MessageTypes.HINT_READ, this::hintRead);
    }

    /** Stores a hint for another node, durably (an fsync: on the executor), then acknowledges. */
    private CompletableFuture<byte[]> hintedWrite(PeerAddress from, byte[] payload) {
        HintMessages.HintedWrite hint;
        try {
            hint = HintMessages.decodeHintedWrite(payload);
        } catch (MalformedMessageException e) {
            return CompletableFuture.completedFuture(errorReply(MessageTypes.HINTED_WRITE, from, e));
        }
        return serve(MessageTypes.HINTED_WRITE, from, () -> {
            hintStore().add(hint.target(), hint.key(), hint.siblings(), clock.millis());
            return ReplicaMessages.writeReply();
        });
    }

    /** The hints held here for the key, for any of the targets named, merged; empty when none. */
    private CompletableFuture<byte[]> hintRead(PeerAddress from, byte[] payload) {
        HintMessages.HintRead read;
        try {
            read = HintMessages.decodeHintRead(payload);
        } catch (MalformedMessageException e) {
            return CompletableFuture.completedFuture(errorReply(MessageTypes.HINT_READ, from, e));
        }
        return serve(MessageTypes.HINT_READ, from, () -> {
            Siblings held = Siblings.EMPTY;
            for (String target : read.targets()) {
                held = held.merge(hintStore().get(target, read.key()).orElse(Siblings.EMPTY));
            }
            return ReplicaMessages.readReply(held);
        });
    }

    /** This node's hint store, or the failure a peer is told about when there is none. */
    private HintStore hintStore() {
        if (hints == null) {
            throw new StoreFailureException("this node keeps no hints", null);
        }
        return hints;
    }

    /** On the transport's thread: the forwarded write's quorum round blocks nothing, so it starts here. */
    private CompletableFuture<byte[]> coordinateWrite(PeerAddress from, byte[] payload) {
        ForwardMessages.Forwarded forwarded;
        try {
            forwarded = ForwardMessages.decodeRequest(payload);
        } catch (MalformedMessageException e) {
            return CompletableFuture.completedFuture(errorReply(MessageTypes.COORDINATE_WRITE, from, e));
        }
        return forwardedWrites.coordinate(forwarded).handle((result, failure) -> failure == null
                ? ForwardMessages.reply(result)
                : failureReply(MessageTypes.COORDINATE_WRITE, from, failure));
    }

    /** On the transport's thread: answer now if memory holds the answer, else read on the executor. */
    private CompletableFuture<byte[]> replicaRead(PeerAddress from, byte[] payload) {
        byte[] key;
        Siblings inMemory;
        try {
            key = ReplicaMessages.decodeReadRequest(payload);
            inMemory = store.readIfInMemory(key);
        } catch (MalformedMessageException | KvException e) {
            return CompletableFuture.completedFuture(errorReply(MessageTypes.REPLICA_READ, from, e));
        }
        if (inMemory != null) {
            return CompletableFuture.completedFuture(ReplicaMessages.readReply(inMemory));
        }
        return serve(MessageTypes.REPLICA_READ, from, () -> ReplicaMessages.readReply(store.read(key)));
    }

    /** On the transport's thread: apply now if that cannot block, and answer now if nothing is left to wait for. */
    private CompletableFuture<byte[]> replicaWrite(PeerAddress from, byte[] payload) {
        ReplicaMessages.KeyVersions write;
        PendingDurability pending;
        try {
            write = ReplicaMessages.decodeWriteRequest(payload);
            pending = store.tryApplyAllVisible(write.key(), write.siblings());
        } catch (MalformedMessageException | KvException e) {
            return CompletableFuture.completedFuture(errorReply(MessageTypes.REPLICA_WRITE, from, e));
        }
        if (pending == null) { // the engine is stalling writes: wait for it off the transport's thread
            return serve(MessageTypes.REPLICA_WRITE, from, () -> {
                store.applyAll(write.key(), write.siblings());
                return ReplicaMessages.writeReply();
            });
        }
        if (pending.isDurable()) {
            return CompletableFuture.completedFuture(ReplicaMessages.writeReply());
        }
        // no thread waits for the fsync: the commit log's sync thread completes the reply
        return pending.whenDurable().handle((ok, failure) -> failure == null
                ? ReplicaMessages.writeReply()
                : failureReply(MessageTypes.REPLICA_WRITE, from, failure));
    }

    /**
     * The reply for work that completed exceptionally: a typed failure's error reply; anything
     * else is a bug, rethrown for the transport's handler-failure path.
     */
    private byte[] failureReply(int messageType, PeerAddress from, Throwable failure) {
        if (KvService.unwrap(failure) instanceof KvException e) {
            return errorReply(messageType, from, e);
        }
        throw new CompletionException(KvService.unwrap(failure));
    }

    private CompletableFuture<byte[]> serve(int messageType, PeerAddress from, Supplier<byte[]> work) {
        try {
            return CompletableFuture.supplyAsync(() -> replyTo(messageType, from, work), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("this node's coordinator is closed"));
        }
    }

    private byte[] replyTo(int messageType, PeerAddress from, Supplier<byte[]> work) {
        try {
            return work.get();
        } catch (MalformedMessageException | KvException e) {
            return errorReply(messageType, from, e);
        } catch (HintStoreFullException | StorageException e) { // only the hint store's own, unguarded, calls throw these
            return errorReply(messageType, from, new StoreFailureException("hint not stored: " + e.getMessage(), e));
        }
    }

    /** The reply for a malformed message (also logged and counted) or a typed failure. */
    private byte[] errorReply(int messageType, PeerAddress from, RuntimeException e) {
        if (e instanceof MalformedMessageException) {
            LOG.warn("malformed message of type 0x{} from {}: {}", Integer.toHexString(messageType), from, e.getMessage());
            listener.onMalformedMessage(messageType);
        }
        return ReplyStatus.error(e);
    }
}
