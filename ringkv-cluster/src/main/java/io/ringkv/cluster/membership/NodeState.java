package io.ringkv.cluster.membership;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One node's gossiped state, as authored by that node: the unit the membership list is made of.
 *
 * <p>Which of two states of the same node is newer is decided by {@link #FRESHNESS}:
 * generation first (a restart picks a higher one, superseding everything the old incarnation
 * said), then heartbeat (the owner bumps it every gossip round and on every change), then
 * metadataVersion (bumped on every change of {@link NodeInfo}). States the owner really produced
 * are totally ordered by these three numbers; for anything else (a buggy or forged peer) a
 * byte-wise comparison of the canonical encoding breaks the tie, so merging stays commutative
 * and every node picks the same winner.
 *
 * @param instance   the process that wrote this state ({@link Instance#UNKNOWN} if it came
 *                   through a node speaking gossip format version 1); not part of the order
 * @param suspicions the peers this node currently suspects, sorted by suspect, one per suspect
 */
public record NodeState(
        NodeId id,
        Instance instance,
        long generation,
        long heartbeat,
        long metadataVersion,
        NodeInfo info,
        List<Suspicion> suspicions) {

    /** Orders states of one node from oldest to newest. */
    public static final Comparator<NodeState> FRESHNESS = NodeState::compareFreshness;

    public NodeState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(info, "info");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be >= 1, was " + generation);
        }
        if (instance.startGeneration() > generation) {
            // A process only ever raises its generation from the one it started with.
            throw new IllegalArgumentException("instance started at generation " + instance.startGeneration()
                    + " cannot write a state of generation " + generation);
        }
        if (heartbeat < 0 || metadataVersion < 0) {
            throw new IllegalArgumentException("heartbeat and metadataVersion must not be negative, were "
                    + heartbeat + " and " + metadataVersion);
        }
        suspicions = checkSuspicions(id, suspicions);
    }

    /** Sorted by suspect, one entry per suspect, never the owner itself, bounded. */
    static List<Suspicion> checkSuspicions(NodeId owner, List<Suspicion> suspicions) {
        List<Suspicion> copy = List.copyOf(Objects.requireNonNull(suspicions, "suspicions"));
        if (copy.size() > MembershipView.MAX_MEMBERS) {
            throw new IllegalArgumentException("at most " + MembershipView.MAX_MEMBERS
                    + " suspicions, was " + copy.size());
        }
        for (int i = 0; i < copy.size(); i++) {
            Suspicion s = copy.get(i);
            if (s.suspect().equals(owner)) {
                throw new IllegalArgumentException("node " + owner + " cannot suspect itself");
            }
            if (i > 0 && copy.get(i - 1).suspect().compareTo(s.suspect()) >= 0) {
                throw new IllegalArgumentException("suspicions of " + owner
                        + " must be sorted by suspect with one entry each; " + copy.get(i - 1).suspect()
                        + " is followed by " + s.suspect());
            }
        }
        return copy;
    }

    /** A freshly started node: its start generation, heartbeat 0, metadata version 0, suspecting nobody. */
    public static NodeState initial(NodeId id, Instance instance, NodeInfo info) {
        return new NodeState(id, instance, instance.startGeneration(), 0, 0, info, List.of());
    }

    /** True if this state is strictly newer than {@code other} (same node assumed). */
    public boolean supersedes(NodeState other) {
        return FRESHNESS.compare(this, other) > 0;
    }

    /** True if this state's heartbeat is later than (generation, heartbeat). */
    public boolean isLaterThan(long otherGeneration, long otherHeartbeat) {
        return generation > otherGeneration || (generation == otherGeneration && heartbeat > otherHeartbeat);
    }

    public Digest digest() {
        return new Digest(id, generation, heartbeat, metadataVersion);
    }

    public AnnouncedStatus status() {
        return info.status();
    }

    NodeState withHeartbeat(long newHeartbeat, List<Suspicion> newSuspicions) {
        return new NodeState(id, instance, generation, newHeartbeat, metadataVersion, info, newSuspicions);
    }

    NodeState withInfo(NodeInfo newInfo) {
        return new NodeState(id, instance, generation, heartbeat + 1, metadataVersion + 1, newInfo, suspicions);
    }

    /** The same process at a higher generation, heartbeat and metadata version restarting from 0. */
    NodeState withGeneration(long newGeneration) {
        return new NodeState(id, instance, newGeneration, 0, 0, info, suspicions);
    }

    /** Rough encoded size, used to keep one gossip message under its byte budget. */
    int estimatedBytes() {
        return 80 + id.value().length() + 16 * info.tokens().size() + 24 * suspicions.size()
                + info.dc().length() + info.rack().length()
                + info.peerAddress().host().length() + info.httpAddress().host().length();
    }

    private static int compareFreshness(NodeState a, NodeState b) {
        int c = Long.compare(a.generation, b.generation);
        if (c == 0) {
            c = Long.compare(a.heartbeat, b.heartbeat);
        }
        if (c == 0) {
            c = Long.compare(a.metadataVersion, b.metadataVersion);
        }
        if (c != 0 || a == b || a.equals(b)) {
            return c;
        }
        // Same numbers, different content: only a forged or buggy state gets here.
        return Arrays.compareUnsigned(GossipCodec.encodeStateForOrdering(a), GossipCodec.encodeStateForOrdering(b));
    }

}
