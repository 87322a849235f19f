package io.ringkv.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.membership.IdConflict;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.NodeId;
import io.ringkv.cluster.time.ManualScheduler;
import io.ringkv.cluster.transport.InMemoryNetwork;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.Ring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes with one node id: node3's data directory copied for a fourth process that also
 * says it is node3, at another address. The real {@link ClusterMembership} of each over the
 * in-memory network on a virtual clock (deterministic, no real time), as in
 * {@link ConcurrentJoinTest}.
 *
 * <p>Before {@code IdGuard}, the two raised their generations past each other every exchange:
 * node1 saw node3's address flip between the two every 2 s (32 changes in 60 s), every flip a
 * new generation written to both identity files, and both kept serving.
 */
class DuplicateNodeIdTest {
    private static final long INTERVAL_MILLIS = 1_000;
    private static final NodeId NODE3 = NodeId.of("node3");

    @TempDir
    Path dir;

    private final ManualScheduler clock = new ManualScheduler();
    private final InMemoryNetwork network = new InMemoryNetwork(clock, 7);
    private final GossipConfig gossip = GossipConfig.builder().seeds(List.of(peer(1), peer(2)))
            .gossipIntervalMillis(INTERVAL_MILLIS).build();
    private final List<ClusterMembership> nodes = new ArrayList<>();
    private final List<Transport> transports = new ArrayList<>();

    private static PeerAddress peer(int host) {
        return new PeerAddress("127.0.0." + host, 9000 + host);
    }

    /** A process claiming {@code nodeId} on 127.0.0.{@code host}, its data in {@code data}. */
    private ClusterMembership start(String nodeId, int host, Path data) {
        Transport transport = network.endpoint(peer(host));
        MembershipSettings settings = MembershipSettings.of(nodeId, new PeerAddress("127.0.0." + host, 8000 + host),
                "dc1", "rack1", 1, gossip, data);
        ClusterMembership node = ClusterMembership.open(settings, transport, clock,
                new SplittableRandom(host), () -> 1_000_000 + clock.nowMillis());
        transport.start();
        node.start();
        nodes.add(node);
        transports.add(transport);
        return node;
    }

    private ClusterMembership node(int i) {
        return nodes.get(i - 1);
    }

    @BeforeEach
    void threeNodesFormARing() {
        network.latencyMillis(1, 30);
        for (int i = 1; i <= 3; i++) {
            start("node" + i, i, dir.resolve("node" + i));
        }
        clock.advanceMillis(20_000);
        for (ClusterMembership node : nodes) {
            assertThat(node.clusterView().ring().size()).as("the ring formed").isEqualTo(3);
        }
    }

    private Path copyOfNode3sDataDirectory() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copy-of-node3"));
        Files.copy(NodeIdentityFile.path(dir.resolve("node3")), NodeIdentityFile.path(copy));
        return copy;
    }

    private PeerAddress node3SeenBy(int viewer) {
        return node(viewer).membership().member(NODE3).orElseThrow().peerAddress();
    }

    @Test
    void aSecondProcessOnACopyOfNode3sDataDirectoryRefusesAndNode3KeepsItsPlace() throws IOException {
        ClusterMembership original = node(3);
        Ring ringBefore = node(1).clusterView().ring();
        ClusterMembership copy = start("node3", 4, copyOfNode3sDataDirectory());

        List<PeerAddress> seenByNode1 = new ArrayList<>(List.of(node3SeenBy(1)));
        long refusedAfter = -1;
        for (long t = 100; t <= 60_000; t += 100) {
            clock.advanceMillis(100);
            PeerAddress now = node3SeenBy(1);
            if (!now.equals(seenByNode1.getLast())) {
                seenByNode1.add(now);
            }
            if (refusedAfter < 0 && copy.refused()) {
                refusedAfter = t;
            }
        }
        System.out.printf("duplicate node id: the copy refused %d ms after it started; node1 saw node3 at %s%n",
                refusedAfter, seenByNode1);

        assertThat(copy.refused()).as("the later process refuses").isTrue();
        assertThat(refusedAfter).as("within a few gossip rounds").isBetween(0L, 10_000L);
        assertThat(original.refused()).isFalse();
        assertThat(seenByNode1).as("node3's address at node1: at most one excursion to the copy, then the original for good")
                .hasSizeLessThanOrEqualTo(3).endsWith(peer(3)).startsWith(peer(3));
        assertThat(node3SeenBy(2)).isEqualTo(peer(3));
        assertThat(node(1).membership().liveness(NODE3)).isEqualTo(Liveness.UP);
        assertThat(node(1).clusterView().ring()).as("node3's tokens stay node3's").isEqualTo(ringBefore);

        IdConflict atCopy = copy.idConflict().orElseThrow();
        IdConflict atOriginal = original.idConflict().orElseThrow();
        assertThat(atCopy.kept()).isEqualTo(atOriginal.kept());
        assertThat(atCopy.kept().peerAddress()).isEqualTo(peer(3));
        assertThat(atOriginal.refused().peerAddress()).isEqualTo(peer(4));
        assertThat(copy.idConflictNotice().orElseThrow())
                .contains("node id node3 is already in use by the process at 127.0.0.3:9003")
                .contains("refuses to serve node3").contains(dir.resolve("copy-of-node3").toString())
                .contains("empty data directory").contains("node.id");
        assertThat(original.idConflictNotice().orElseThrow())
                .contains("node id node3 is also claimed by the process at 127.0.0.4:9004")
                .contains("this process keeps node3").contains("stop the process at 127.0.0.4:9004");

        // Settled: no generation moves any more, so nothing is rewritten in the identity files.
        long generation = original.identity().generation();
        long copyRounds = copy.gossiper().roundsRun();
        clock.advanceMillis(30_000);
        assertThat(original.identity().generation()).isEqualTo(generation);
        assertThat(node(1).membership().member(NODE3).map(Member::generation).orElseThrow()).isEqualTo(generation);
        assertThat(copy.gossiper().roundsRun()).as("the refused process gossips no more").isEqualTo(copyRounds);
    }

    /**
     * The conflict is found by a membership listener, which runs under the gossiper's publish lock;
     * stopping the refused process must not need {@link ClusterMembership}'s monitor, which a
     * status change (completeJoin, startLeaving, ...) holds while it publishes: the same lock
     * cycle as {@link ClusterMembershipLockOrderTest}'s.
     */
    @Test
    void findingTheConflictWhileAStatusChangeIsPublishedDoesNotDeadlock() throws Exception {
        ClusterMembership copy = start("node3", 4, copyOfNode3sDataDirectory());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            synchronized (copy) { // as completeJoin holds it, from the start
                Thread gossipThread = Thread.ofPlatform().daemon().start(() -> {
                    for (int i = 0; i < 600 && !copy.refused(); i++) {
                        clock.advanceMillis(100);
                    }
                });
                while (gossipThread.isAlive() && gossipThread.getState() != Thread.State.BLOCKED) {
                    Thread.onSpinWait();
                }
                // Before the fix the gossip thread is now BLOCKED on the monitor, holding the publish lock.
                copy.completeJoin();
                gossipThread.join();
            }
        }, "finding the id conflict and a concurrent status change deadlocked");
        assertThat(copy.refused()).isTrue();
        long rounds = copy.gossiper().roundsRun();
        clock.advanceMillis(10_000);
        assertThat(copy.gossiper().roundsRun()).as("the refused process gossips no more").isEqualTo(rounds);
    }

    @Test
    void node3MovedToANewAddressAfterItsProcessStoppedKeepsItsIdAndTokens() throws IOException {
        Ring ringBefore = node(1).clusterView().ring();
        node(3).close();
        transports.get(2).close();
        clock.advanceMillis(3_000);

        ClusterMembership moved = start("node3", 4, copyOfNode3sDataDirectory());
        clock.advanceMillis(20_000);
        assertThat(moved.refused()).isFalse();
        assertThat(moved.idConflict()).isEmpty();
        assertThat(node3SeenBy(1)).isEqualTo(peer(4));
        assertThat(node3SeenBy(2)).isEqualTo(peer(4));
        assertThat(node(1).membership().liveness(NODE3)).isEqualTo(Liveness.UP);
        assertThat(node(1).clusterView().ring()).as("the same tokens, now served from the new address").isEqualTo(ringBefore);
    }
}
