package io.ringkv.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.time.ManualScheduler;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.InMemoryNetwork;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.RemoteHandlerException;
import io.ringkv.cluster.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ten {@link Gossiper}s on the in-memory twin of the network, on a virtual clock: the real
 * runner, codec and handlers, with time moved by the test (no sleeping) and one seed.
 */
class GossiperInMemoryNetworkTest {
    private static final int N = 10;

    private ManualScheduler clock;
    private InMemoryNetwork network;
    private GossipConfig config;
    private final List<Gossiper> gossipers = new ArrayList<>();
    private final List<Transport> transports = new ArrayList<>();
    private final List<List<MembershipEvent>> heard = new ArrayList<>();

    @BeforeEach
    void startCluster() {
        clock = new ManualScheduler();
        network = new InMemoryNetwork(clock, 7);
        network.latencyMillis(1, 20);
        config = Fixtures.config(Fixtures.peer(0), Fixtures.peer(1));
        for (int i = 0; i < N; i++) {
            gossipers.add(null);
            transports.add(null);
            heard.add(new CopyOnWriteArrayList<>());
            start(i, 1);
            clock.advanceMillis(97); // nodes do not tick in step
        }
        assertThat(advanceUntil(20_000, this::allSeeAllUp)).as("10 nodes converge").isTrue();
    }

    private void start(int i, long generation) {
        Transport transport = network.endpoint(Fixtures.peer(i));
        Gossiper g = new Gossiper(Fixtures.node(i, generation, config), transport, scheduler(), new SplittableRandom(i));
        g.membership().subscribe((previous, current, events) -> heard.get(i).addAll(events));
        transport.start();
        g.start();
        gossipers.set(i, g);
        transports.set(i, transport);
    }

    private void kill(int i) {
        gossipers.get(i).close();
        transports.get(i).close();
    }

    private Scheduler scheduler() {
        return clock;
    }

    /** Moves virtual time in 100 ms steps until {@code done} or {@code maxMillis}; true if done. */
    private boolean advanceUntil(long maxMillis, BooleanSupplier done) {
        for (long t = 0; t < maxMillis; t += 100) {
            clock.advanceMillis(100);
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    private boolean allSeeAllUp() {
        for (Gossiper g : gossipers) {
            MembershipView v = g.membership().current();
            if (v.size() != N || v.members().stream().anyMatch(m -> m.liveness() != Liveness.UP)) {
                return false;
            }
        }
        return true;
    }

    private int seeingDown(NodeId subject, int except) {
        int count = 0;
        for (int i = 0; i < N; i++) {
            if (i != except && gossipers.get(i).membership().current().member(subject)
                    .map(m -> m.liveness() == Liveness.DOWN).orElse(false)) {
                count++;
            }
        }
        return count;
    }

    @Test
    void allViewsHoldEveryNodeWithItsAddresses() {
        for (Gossiper g : gossipers) {
            MembershipView v = g.membership().current();
            for (int i = 0; i < N; i++) {
                Member m = v.member(Fixtures.id(i)).orElseThrow();
                assertThat(m.peerAddress()).isEqualTo(Fixtures.peer(i));
                assertThat(m.httpAddress()).isEqualTo(new PeerAddress("127.0.0." + i, 8000));
            }
        }
        assertThat(heard.get(3)).filteredOn(e -> e instanceof MembershipEvent.Joined).hasSize(N - 1);
    }

    @Test
    void aKilledNodeIsDownEverywhereWithinABoundAndListenersHearIt() {
        long killedAt = clock.nowMillis();
        kill(7);
        NodeId victim = Fixtures.id(7);
        assertThat(advanceUntil(20_000, () -> seeingDown(victim, 7) == N - 1)).isTrue();
        long detectionMillis = clock.nowMillis() - killedAt;
        // Its last heartbeat left up to one interval before the kill; DOWN follows suspectAfter
        // of silence plus the rounds that spread the suspicions.
        assertThat(detectionMillis).as("suspectAfter (5 s) plus a few rounds")
                .isBetween(Fixtures.SUSPECT_AFTER_MILLIS - Fixtures.INTERVAL_MILLIS,
                        Fixtures.SUSPECT_AFTER_MILLIS + 4_000);
        for (int i = 0; i < N; i++) {
            if (i != 7) {
                assertThat(heard.get(i)).filteredOn(e -> e instanceof MembershipEvent.Down && e.id().equals(victim))
                        .hasSize(1);
            }
        }
    }

    @Test
    void aPartitionBetweenTwoNodesMarksNeitherDown() {
        network.partition(Fixtures.peer(3), Fixtures.peer(4));
        advanceUntil(30_000, () -> false);
        for (List<MembershipEvent> events : heard) {
            assertThat(events).noneMatch(e -> e instanceof MembershipEvent.Down);
        }
        network.heal(Fixtures.peer(3), Fixtures.peer(4));
        clock.advanceMillis(5_000);
        assertThat(allSeeAllUp()).isTrue();
    }

    @Test
    void anIsolatedNodeIsDownForTheOthersAndUpAgainAfterTheHeal() {
        for (int i = 0; i < N; i++) {
            if (i != 2) {
                network.partition(Fixtures.peer(2), Fixtures.peer(i));
            }
        }
        assertThat(advanceUntil(20_000, () -> seeingDown(Fixtures.id(2), 2) == N - 1)).isTrue();
        assertThat(gossipers.get(2).membership().current().members())
                .filteredOn(m -> !m.id().equals(Fixtures.id(2)))
                .extracting(Member::liveness).containsOnly(Liveness.SUSPECT);

        network.healAll();
        assertThat(advanceUntil(10_000, this::allSeeAllUp)).isTrue();
        assertThat(heard.get(5)).filteredOn(e -> e instanceof MembershipEvent.Up && e.id().equals(Fixtures.id(2)))
                .hasSize(1);
    }

    @Test
    void aRestartWithAHigherGenerationIsSeenAsRestartedAndUp() {
        kill(6);
        assertThat(advanceUntil(20_000, () -> seeingDown(Fixtures.id(6), 6) == N - 1)).isTrue();
        start(6, 2);
        assertThat(advanceUntil(10_000, this::allSeeAllUp)).isTrue();
        assertThat(heard.get(0)).filteredOn(e -> e instanceof MembershipEvent.Restarted).hasSize(1);
        assertThat(gossipers.get(0).membership().current().member(Fixtures.id(6)).orElseThrow().generation())
                .isEqualTo(2);
    }

    @Test
    void aGracefulLeaveReachesEveryListener() {
        gossipers.get(4).announce(AnnouncedStatus.LEAVING);
        clock.advanceMillis(5_000);
        gossipers.get(4).announce(AnnouncedStatus.LEFT);
        clock.advanceMillis(5_000);
        kill(4);
        for (int i = 0; i < N; i++) {
            if (i != 4) {
                assertThat(heard.get(i))
                        .filteredOn(e -> e instanceof MembershipEvent.StatusChanged s && s.id().equals(Fixtures.id(4)))
                        .extracting(e -> ((MembershipEvent.StatusChanged) e).member().status())
                        .containsExactly(AnnouncedStatus.LEAVING, AnnouncedStatus.LEFT);
            }
        }
    }

    @Test
    void aNodeSpeakingFormatVersionOneIsAnsweredInVersionOne() {
        Transport old = network.endpoint(new PeerAddress("127.0.0.98", 7000));
        old.start();
        GossipMessage.Syn syn = new GossipMessage.Syn(config.clusterName(), List.of());
        CompletableFuture<byte[]> reply = old.request(Fixtures.peer(0), Gossiper.MESSAGE_TYPE_SYN,
                GossipCodec.encode(syn, 1), 1_000);
        clock.advanceMillis(100);
        byte[] ack = reply.join();
        assertThat(GossipCodec.version(ack)).isEqualTo(1);
        assertThat(((GossipMessage.Ack) GossipCodec.decode(ack)).updates()).hasSize(N)
                .allMatch(u -> ((NodeUpdate.Full) u).state().instance().equals(Instance.UNKNOWN));
    }

    @Test
    void malformedGossipIsRefusedWithARemoteErrorAndCounted() {
        Transport probe = network.endpoint(new PeerAddress("127.0.0.99", 7000));
        probe.start();
        CompletableFuture<byte[]> reply = probe.request(Fixtures.peer(0), Gossiper.MESSAGE_TYPE_SYN,
                new byte[] {0x47, 1, 1, (byte) 0xFF}, 1_000);
        clock.advanceMillis(100);
        assertThat(reply).isCompletedExceptionally();
        assertThat(reply.handle((ok, error) -> error.getCause() != null ? error.getCause() : error).join())
                .isInstanceOf(RemoteHandlerException.class)
                .hasMessageContaining("truncated");
        assertThat(gossipers.get(0).messagesRejected()).isEqualTo(1);
        assertThat(allSeeAllUp()).isTrue();
    }
}
