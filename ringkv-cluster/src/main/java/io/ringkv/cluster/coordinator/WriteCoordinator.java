package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.service.NewVersions;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.VectorClock;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.PendingDurability;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Coordinates a put or delete on this node (Dynamo §4.5, "put()"), in named steps:
 * <ol>
 *   <li><b>version</b>: a new {@link Versioned} from the client's context and this node's next dot;</li>
 *   <li><b>merge</b>: the sibling set this node will hold once the version is applied: what it
 *       holds now (one local read) joined with the new version;</li>
 *   <li><b>apply locally</b>, visible to reads but not yet durable: always, even if this node is
 *       not a replica in its own view (a forwarded request whose sender's view differed), because
 *       the node that issued a dot must hold every version it coordinated for the key;</li>
 *   <li><b>fan out</b> REPLICA_WRITE of that whole set, not just the new version, to the other
 *       replicas (docs/design/versioning.md, "A requirement on the cluster coordinator");</li>
 *   <li><b>await durable</b> locally (it counts as an acknowledgement only if this node is a
 *       replica) while the replicas apply theirs, then <b>await W</b> acknowledgements or the deadline.</li>
 * </ol>
 * The first three steps run in the key's section ({@link KeySections}): with dot k+1 taken only
 * after version k is visible locally, the set sent with k+1 always holds k, so no replica ever
 * holds a set whose context claims a dot of this node it does not hold. The fsync waits run
 * outside it and overlap the replicas' (one after the other a write took two fsyncs in a row,
 * docs/benchmarks.md). A local storage failure fails the request ({@code StoreFailureException});
 * if the fsync fails, the replicas may already hold the version, as when a write fails after
 * reaching fewer than W replicas (nothing is undone, Dynamo has no rollback either).
 */
final class WriteCoordinator {
    private final String localNodeId;
    private final GuardedStore store;
    private final NewVersions versions;
    private final Peers peers;
    private final ConflictPolicy policy;
    private final KeySections sections = new KeySections();

    WriteCoordinator(String localNodeId, GuardedStore store, NewVersions versions, Peers peers, ConflictPolicy policy) {
        this.localNodeId = localNodeId;
        this.store = store;
        this.versions = versions;
        this.peers = peers;
        this.policy = policy;
    }

    /**
     * Runs {@code request} against {@code replicas} (the key's replica set in this node's view);
     * {@code context} is the request's context, decoded and checked by the caller.
     */
    PutResult coordinate(WriteRequest request, VectorClock context, List<String> replicas, Deadline deadline) {
        Versioned version;
        Siblings merged;
        PendingDurability localWrite;
        ReentrantLock section = sections.of(request.key());
        section.lock();
        try {
            version = versions.create(context, request.value());
            merged = VersionMerge.of(List.of(currentVersions(request.key()), Siblings.of(version)), policy);
            localWrite = store.applyVisible(request.key(), version);
        } finally {
            section.unlock();
        }

        boolean localIsReplica = replicas.contains(localNodeId);
        List<String> others = new ArrayList<>(replicas);
        others.remove(localNodeId);
        QuorumWaiter waiter = new QuorumWaiter(request.writeQuorum(), others.size() + (localIsReplica ? 1 : 0));
        WriteFanout.send(peers, others, ReplicaMessages.writeRequest(request.key(), merged), deadline, waiter);
        localWrite.awaitDurable();
        if (localIsReplica) {
            waiter.succeeded();
        }

        QuorumWaiter.Tally tally = waiter.await(deadline);
        if (!tally.met()) {
            throw new QuorumNotMetException(request.op().label, request.writeQuorum(), tally.successes());
        }
        return new PutResult(ContextCodec.encode(version.clock()), tally.successes());
    }

    /** The local read a write needs; its failure is this write's failure, and says so. */
    private Siblings currentVersions(byte[] key) {
        try {
            return store.read(key);
        } catch (StoreFailureException e) {
            throw new StoreFailureException("write failed: " + e.getMessage(), e.getCause());
        }
    }
}
