package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.core.version.Siblings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One get's requests to the key's replicas and the answers they gave. Every target is asked
 * (reads go to all N and wait for R), the local replica directly from its store, the others with
 * REPLICA_READ in parallel. Answers keep arriving after R were counted; read repair looks at all
 * of them once {@link #settled()} completes, at the latest at the deadline.
 *
 * <p>Like {@link WriteFanout} it takes its target list, so the sloppy quorum can add fallbacks later.
 */
final class ReadFanout {
    private final Map<String, Siblings> answers = new ConcurrentHashMap<>();
    private final QuorumWaiter waiter;
    private CompletableFuture<Void> settled = CompletableFuture.completedFuture(null);
    private StoreFailureException localFailure;

    private ReadFanout(QuorumWaiter waiter) {
        this.waiter = waiter;
    }

    /**
     * Asks every target; returns once the remote requests are sent and the local replica (if it
     * is a target) has been read on the calling thread.
     */
    static ReadFanout start(byte[] key, List<String> targets, String localNodeId, GuardedStore localStore,
                            Peers peers, Deadline deadline, QuorumWaiter waiter) {
        ReadFanout fanout = new ReadFanout(waiter);
        byte[] request = ReplicaMessages.readRequest(key);
        List<CompletableFuture<Void>> remote = new ArrayList<>(targets.size());
        for (String target : targets) {
            if (!target.equals(localNodeId)) {
                remote.add(peers.request(target, MessageTypes.REPLICA_READ, request, deadline)
                        .thenApply(ReplicaMessages::decodeReadReply)
                        .handle((siblings, failure) -> fanout.record(target, siblings, failure)));
            }
        }
        fanout.settled = CompletableFuture.allOf(remote.toArray(CompletableFuture[]::new));
        if (targets.contains(localNodeId)) {
            fanout.readLocal(key, localNodeId, localStore);
        }
        return fanout;
    }

    private void readLocal(byte[] key, String localNodeId, GuardedStore localStore) {
        try {
            answers.put(localNodeId, localStore.read(key));
            waiter.succeeded();
        } catch (StoreFailureException e) {
            localFailure = e;
            waiter.failed();
        }
    }

    private Void record(String target, Siblings siblings, Throwable failure) {
        if (failure == null) {
            answers.put(target, siblings);
            waiter.succeeded();
        } else if (unwrap(failure) instanceof InvalidRequestException invalid) {
            waiter.reject(invalid);
        } else {
            waiter.failed();
        }
        return null;
    }

    /** The answers so far, by node id. */
    Map<String, Siblings> answers() {
        return Map.copyOf(answers);
    }

    /** Completes (never exceptionally) when every remote target has answered or failed. */
    CompletableFuture<Void> settled() {
        return settled;
    }

    /** Why the local replica could not answer, or null. */
    StoreFailureException localFailure() {
        return localFailure;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
