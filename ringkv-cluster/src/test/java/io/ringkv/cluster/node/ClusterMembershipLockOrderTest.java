package io.ringkv.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.time.ManualScheduler;
import io.ringkv.cluster.transport.InMemoryNetwork;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A membership change made under {@link ClusterMembership}'s monitor (completeJoin, startLeaving,
 * ...) publishes a gossip view, while the gossip thread, publishing its own view, runs the
 * membership listeners, which read the node's identity. CI once saw a joining node hang for good
 * this way: its streaming thread in completeJoin waiting for the gossiper's publish lock, its
 * gossip thread holding that lock and waiting for the monitor; its heartbeat stopped and the
 * others marked it DOWN. The listener must not need the monitor.
 */
class ClusterMembershipLockOrderTest {
    @TempDir
    Path dir;

    @Test
    void a_listener_publishing_while_a_join_completes_does_not_deadlock() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        InMemoryNetwork network = new InMemoryNetwork(clock, 1);
        PeerAddress self = new PeerAddress("127.0.0.1", 9001);
        GossipConfig gossip = GossipConfig.builder().seeds(List.of(self)).build();
        Transport transport = network.endpoint(self);
        MembershipSettings settings = MembershipSettings.of("node1", new PeerAddress("127.0.0.1", 8001),
                "dc1", "rack1", 1, gossip, dir.resolve("node1"));
        ClusterMembership membership = ClusterMembership.open(settings, transport, clock, new SplittableRandom(1),
                () -> 1_000_000 + clock.nowMillis());

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            synchronized (membership) { // as completeJoin holds it, from the start
                // The "gossip thread": a view change whose listeners run under the publish lock.
                Thread gossipThread = Thread.ofPlatform().daemon().start(() ->
                        membership.gossiper().announce(AnnouncedStatus.LEAVING));
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (gossipThread.isAlive() && gossipThread.getState() != Thread.State.BLOCKED
                        && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                // Before the fix the gossip thread is now BLOCKED on the monitor, holding the publish lock.
                membership.completeJoin();
            }
        }, "completeJoin and a concurrent gossip publish deadlocked");
        assertThat(membership.status()).isEqualTo(AnnouncedStatus.NORMAL);
        membership.close();
    }
}
