package io.ringkv.cluster.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one REPLICA_WRITE to every target in parallel and reports each answer to the quorum
 * waiter: an OK reply is an acknowledgement, anything else (error reply, timeout, unreachable
 * peer) is not. Requests outlive the client's answer: once W acknowledged, the rest still
 * complete or time out in the background; nothing is cancelled.
 *
 * <p>It takes the target list rather than computing it, so the sloppy quorum (a later issue) can
 * pass fallback nodes with hints in place of unreachable replicas without changing this class.
 */
final class WriteFanout {
    private WriteFanout() {
    }

    /** Returns one future per target, completing when that target's answer is in (never exceptionally). */
    static List<CompletableFuture<Boolean>> send(Peers peers, List<String> targets, byte[] replicaWrite,
                                                 Deadline deadline, QuorumWaiter waiter) {
        List<CompletableFuture<Boolean>> answers = new ArrayList<>(targets.size());
        for (String target : targets) {
            answers.add(peers.request(target, MessageTypes.REPLICA_WRITE, replicaWrite, deadline)
                    .thenApply(reply -> {
                        ReplicaMessages.decodeWriteReply(reply);
                        return true;
                    })
                    .handle((acknowledged, failure) -> {
                        if (failure == null) {
                            waiter.succeeded();
                            return true;
                        }
                        waiter.failed();
                        return false;
                    }));
        }
        return answers;
    }
}
