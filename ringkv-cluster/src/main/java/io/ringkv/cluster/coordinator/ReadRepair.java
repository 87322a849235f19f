package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvException;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.Siblings;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read repair (Dynamo §5, the last step of a read): after a get has answered, once every replica
 * has answered or the deadline has passed, the versions of all answers are merged and every
 * replica whose answer differs from the merge receives the merged set with REPLICA_WRITE. The
 * write is a blind merge at the replica, so repairing twice, or concurrently with other writes,
 * is harmless. It is best effort: a replica that did not answer is not repaired (its state is
 * unknown) and a failed repair is only counted; the next read, or anti-entropy, tries again.
 *
 * <p>The comparison runs where the last answer arrived (CPU only: a merge and equality checks);
 * only when some replica is stale does the repair go to the coordinator's background executor,
 * never the client's thread. Most reads find the replicas agreeing, and then cost no thread.
 */
final class ReadRepair {
    private static final Logger LOG = LoggerFactory.getLogger(ReadRepair.class);

    private final String localNodeId;
    private final GuardedStore store;
    private final Peers peers;
    private final ConflictPolicy policy;
    private final long timeoutMillis;
    private final Scheduler time;
    private final CoordinatorListener listener;

    ReadRepair(String localNodeId, GuardedStore store, Peers peers, ConflictPolicy policy, long timeoutMillis,
               Scheduler time, CoordinatorListener listener) {
        this.time = time;
        this.localNodeId = localNodeId;
        this.store = store;
        this.peers = peers;
        this.policy = policy;
        this.timeoutMillis = timeoutMillis;
        this.listener = listener;
    }

    /**
     * Compares the answers (node id to the versions it returned) with their merge; if any replica
     * is stale, hands its repair to {@code background} (which may reject it while the node closes).
     */
    void repairIfStale(byte[] key, Map<String, Siblings> answers, Executor background) {
        Siblings merged = VersionMerge.of(answers.values(), policy);
        for (Siblings answer : answers.values()) {
            if (!answer.equals(merged)) {
                background.execute(() -> repair(key, answers, merged));
                return;
            }
        }
        listener.onReadRepairChecked(answers.size(), 0);
    }

    private void repair(byte[] key, Map<String, Siblings> answers, Siblings merged) {
        byte[] request = null;
        int stale = 0;
        for (Map.Entry<String, Siblings> answer : answers.entrySet()) {
            String node = answer.getKey();
            if (answer.getValue().equals(merged)) {
                continue;
            }
            stale++;
            if (node.equals(localNodeId)) {
                repairLocally(key, merged);
                continue;
            }
            if (request == null) {
                request = ReplicaMessages.writeRequest(key, merged);
            }
            listener.onReadRepairSent(node);
            peers.request(node, MessageTypes.REPLICA_WRITE, request, Deadline.afterMillis(time, timeoutMillis))
                    .thenAccept(ReplicaMessages::decodeWriteReply)
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            reportFailure(node, failure);
                        }
                    });
        }
        listener.onReadRepairChecked(answers.size(), stale);
    }

    private void repairLocally(byte[] key, Siblings merged) {
        listener.onReadRepairSent(localNodeId);
        try {
            store.applyAll(key, merged);
        } catch (KvException e) {
            reportFailure(localNodeId, e);
        }
    }

    private void reportFailure(String node, Throwable failure) {
        LOG.debug("read repair of {} failed: {}", node, failure.toString());
        listener.onReadRepairFailed(node);
    }
}
