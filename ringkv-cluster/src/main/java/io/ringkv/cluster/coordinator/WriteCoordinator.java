package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.service.NewVersions;
import io.ringkv.cluster.service.RequestChecks;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.Versioned;
import java.util.ArrayList;
import java.util.List;

/**
 * Coordinates a put or delete on this node (Dynamo §4.5, "put()"), in named steps:
 * <ol>
 *   <li><b>version</b>: a new {@link Versioned} from the client's context and this node's next dot;</li>
 *   <li><b>apply locally</b>: always, even if this node is not a replica in its own view (a
 *       forwarded request whose sender's view differed), because the node that issued a dot must
 *       hold every version it coordinated for the key (docs/design/versioning.md, "A requirement
 *       on the cluster coordinator"); it counts as an acknowledgement only if this node is a replica;</li>
 *   <li><b>read back the merged sibling set</b> and <b>fan out</b> REPLICA_WRITE of that whole set,
 *       not just the new version, to the other replicas;</li>
 *   <li><b>await W</b> acknowledgements or the deadline.</li>
 * </ol>
 * A local storage failure fails the request at once ({@code StoreFailureException}): without the
 * local merge there is nothing correct to replicate.
 */
final class WriteCoordinator {
    private final String localNodeId;
    private final GuardedStore store;
    private final NewVersions versions;
    private final Peers peers;

    WriteCoordinator(String localNodeId, GuardedStore store, NewVersions versions, Peers peers) {
        this.localNodeId = localNodeId;
        this.store = store;
        this.versions = versions;
        this.peers = peers;
    }

    /** Runs {@code request} against {@code replicas} (the key's replica set in this node's view). */
    PutResult coordinate(WriteRequest request, List<String> replicas, Deadline deadline) {
        Versioned version = versions.create(RequestChecks.decodeContext(request.context()), request.value());
        store.apply(request.key(), version);
        Siblings merged = store.read(request.key());

        boolean localIsReplica = replicas.contains(localNodeId);
        List<String> others = new ArrayList<>(replicas);
        others.remove(localNodeId);
        QuorumWaiter waiter = new QuorumWaiter(request.writeQuorum(), others.size() + (localIsReplica ? 1 : 0));
        if (localIsReplica) {
            waiter.succeeded();
        }
        WriteFanout.send(peers, others, ReplicaMessages.writeRequest(request.key(), merged), deadline, waiter);

        QuorumWaiter.Tally tally = waiter.await(deadline);
        if (!tally.met()) {
            throw new QuorumNotMetException(request.op().label, request.writeQuorum(), tally.successes());
        }
        return new PutResult(ContextCodec.encode(version.clock()), tally.successes());
    }
}
