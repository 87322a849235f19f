package io.ringkv.cluster.membership;

import io.ringkv.core.ring.Token;
import static io.ringkv.cluster.membership.Fixtures.SUSPECT_AFTER_MILLIS;
import static io.ringkv.cluster.membership.Fixtures.config;
import static io.ringkv.cluster.membership.Fixtures.digestsOf;
import static io.ringkv.cluster.membership.Fixtures.gossip;
import static io.ringkv.cluster.membership.Fixtures.id;
import static io.ringkv.cluster.membership.Fixtures.node;
import static io.ringkv.cluster.membership.Fixtures.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.transport.PeerAddress;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pure state machine, driven by hand: every message goes through the codec, time is a
 * number the test sets. Scenario names follow docs/design/gossip.md.
 */
class GossipProtocolTest {

    /** Everyone gossips with everyone once at {@code now}: all know all, all heartbeats fresh. */
    private static void meshGossip(List<GossipProtocol> nodes, long now) {
        for (GossipProtocol a : nodes) {
            for (GossipProtocol b : nodes) {
                if (a != b) {
                    gossip(a, b, now);
                }
            }
        }
    }

    private static List<GossipProtocol> cluster(int n) {
        GossipConfig config = config(peer(0));
        return IntStream.range(0, n).mapToObj(i -> node(i, 1, config)).toList();
    }

    // ------------------------------------------------------------------ seeds

    @Test
    void aNewNodeFindsTheClusterThroughASeed() {
        GossipConfig config = config(peer(0));
        GossipProtocol seed = node(0, 1, config);
        GossipProtocol b = node(1, 1, config);
        GossipProtocol c = node(2, 1, config);

        List<Outbound> bOut = b.tick(1_000, Fixtures.random(1));
        assertThat(bOut).extracting(Outbound::target).containsExactly(peer(0));
        Fixtures.exchange(b, seed, bOut.getFirst().syn(), 1_000);
        List<Outbound> cOut = c.tick(1_000, Fixtures.random(2));
        Fixtures.exchange(c, seed, cOut.getFirst().syn(), 1_000);

        assertThat(seed.view().asMap()).containsKeys(id(1), id(2));
        assertThat(c.knows(id(1))).as("c learned b from the seed").isTrue();
        assertThat(c.view().member(id(1)).orElseThrow().peerAddress()).isEqualTo(peer(1));
    }

    @Test
    void aDownSeedDoesNotPreventJoiningThroughAnother() {
        GossipConfig config = config(peer(0), peer(5));
        GossipProtocol liveSeed = node(0, 1, config);
        GossipProtocol joiner = node(1, 1, config);

        List<Outbound> out = joiner.tick(1_000, Fixtures.random(3));
        // Knowing nobody, the joiner contacts every seed (up to the fanout), so the down one cannot block it.
        assertThat(out).extracting(Outbound::target).containsExactlyInAnyOrder(peer(0), peer(5));
        Outbound toLive = out.stream().filter(o -> o.target().equals(peer(0))).findFirst().orElseThrow();
        Fixtures.exchange(joiner, liveSeed, toLive.syn(), 1_000);

        assertThat(joiner.knows(id(0))).isTrue();
        assertThat(liveSeed.knows(id(1))).isTrue();
    }

    @Test
    void aNodeNeverGossipsWithItselfAndPicksDistinctPeers() {
        List<GossipProtocol> nodes = cluster(8);
        meshGossip(nodes, 0);
        for (int round = 1; round <= 50; round++) {
            List<Outbound> out = nodes.get(0).tick(round * 1_000L, Fixtures.random(round));
            for (GossipProtocol other : nodes.subList(1, nodes.size())) {
                other.tick(round * 1_000L, Fixtures.random(-round));
            }
            assertThat(out).extracting(Outbound::target).doesNotContain(peer(0)).doesNotHaveDuplicates();
            assertThat(out).as("fanout 3, plus at most one seed").hasSizeBetween(3, 4);
            meshGossip(nodes, round * 1_000L);
        }
    }

    // ------------------------------------------------------------------ two sources

    @Test
    void oneNodeAloneSuspectingNeverMakesOthersSeeDown() {
        // a, b, c, x all know each other at t=0; then x falls silent.
        List<GossipProtocol> nodes = cluster(4);
        meshGossip(nodes, 0);
        GossipProtocol a = nodes.get(0), b = nodes.get(1), c = nodes.get(2);
        NodeId x = id(3);

        long later = SUSPECT_AFTER_MILLIS;
        a.tick(later, Fixtures.random(1));
        assertThat(a.selfState().suspicions()).extracting(Suspicion::suspect).contains(x);
        assertThat(a.liveness(x)).as("a's own suspicion alone: SUSPECT, not DOWN").isEqualTo(Liveness.SUSPECT);

        gossip(a, c, later); // c now holds a's suspicion of x at the heartbeat c also knows
        assertThat(c.liveness(x)).as("one source (a), and not c itself").isEqualTo(Liveness.UP);

        b.tick(later, Fixtures.random(2));
        gossip(b, c, later);
        assertThat(c.liveness(x)).as("two distinct sources (a and b) agree").isEqualTo(Liveness.DOWN);
        assertThat(c.view().member(x).orElseThrow().liveness()).isEqualTo(Liveness.DOWN);
    }

    @Test
    void aSuspicionOfAHeartbeatOlderThanWhatWeKnowDoesNotCount() {
        List<GossipProtocol> nodes = cluster(4);
        meshGossip(nodes, 0);
        GossipProtocol a = nodes.get(0), b = nodes.get(1), c = nodes.get(2), x = nodes.get(3);

        long later = SUSPECT_AFTER_MILLIS;
        a.tick(later, Fixtures.random(1));
        b.tick(later, Fixtures.random(2));
        x.tick(later, Fixtures.random(3)); // x is alive after all; c hears from it directly
        gossip(x, c, later);
        gossip(a, c, later);
        gossip(b, c, later);

        assertThat(c.liveness(x.selfId()))
                .as("a and b suspect heartbeat 0, but c has seen heartbeat 1: x lived after they formed it")
                .isEqualTo(Liveness.UP);
    }

    @Test
    void aSuspectedNodeWhoseHeartbeatAdvancesComesBackUp() {
        List<GossipProtocol> nodes = cluster(4);
        meshGossip(nodes, 0);
        GossipProtocol a = nodes.get(0), b = nodes.get(1), x = nodes.get(3);
        long later = SUSPECT_AFTER_MILLIS;
        a.tick(later, Fixtures.random(1));
        b.tick(later, Fixtures.random(2));
        gossip(b, a, later);
        assertThat(a.liveness(x.selfId())).isEqualTo(Liveness.DOWN);

        x.tick(later + 1_000, Fixtures.random(3));
        gossip(x, a, later + 1_000);
        assertThat(a.liveness(x.selfId())).isEqualTo(Liveness.UP);
        a.tick(later + 2_000, Fixtures.random(4));
        assertThat(a.selfState().suspicions()).extracting(Suspicion::suspect).doesNotContain(x.selfId());
    }

    @Test
    void anIsolatedNodeSeesOthersOnlyAsSuspectNotDown() {
        List<GossipProtocol> nodes = cluster(4);
        meshGossip(nodes, 0);
        GossipProtocol lonely = nodes.get(0);
        lonely.tick(SUSPECT_AFTER_MILLIS, Fixtures.random(1));
        assertThat(lonely.view().members()).filteredOn(m -> !m.id().equals(lonely.selfId()))
                .extracting(Member::liveness).containsOnly(Liveness.SUSPECT);
    }

    @Test
    void inATwoNodeClusterTheSurvivorIsTheOnlyPossibleSource() {
        List<GossipProtocol> nodes = cluster(2);
        meshGossip(nodes, 0);
        nodes.get(0).tick(SUSPECT_AFTER_MILLIS, Fixtures.random(1));
        assertThat(nodes.get(0).liveness(id(1))).isEqualTo(Liveness.DOWN);
    }

    @Test
    void suspicionNeedsSuspectAfterMillisOfSilence() {
        List<GossipProtocol> nodes = cluster(3);
        meshGossip(nodes, 0);
        nodes.get(0).tick(SUSPECT_AFTER_MILLIS - 1, Fixtures.random(1));
        assertThat(nodes.get(0).selfState().suspicions()).isEmpty();
        nodes.get(0).tick(SUSPECT_AFTER_MILLIS, Fixtures.random(1));
        assertThat(nodes.get(0).selfState().suspicions()).hasSize(2);
    }

    // ------------------------------------------------------------------ restarts

    @Test
    void aRestartWithAHigherGenerationSupersedesTheOldState() {
        List<GossipProtocol> nodes = cluster(3);
        meshGossip(nodes, 0);
        GossipProtocol a = nodes.get(0), b = nodes.get(1);
        long later = SUSPECT_AFTER_MILLIS;
        a.tick(later, Fixtures.random(1));
        b.tick(later, Fixtures.random(2));
        gossip(b, a, later);
        assertThat(a.liveness(id(2))).isEqualTo(Liveness.DOWN);
        MembershipView before = a.view();

        GossipProtocol restarted = new GossipProtocol(a.config(), id(2), 2,
                Fixtures.info(2).withTokens(List.of(new Token(0, 77))));
        gossip(restarted, a, later + 1_000);

        Member x = a.view().member(id(2)).orElseThrow();
        assertThat(x.generation()).isEqualTo(2);
        assertThat(x.tokens()).containsExactly(new Token(0, 77));
        assertThat(x.liveness()).as("suspicions of generation 1 say nothing of generation 2").isEqualTo(Liveness.UP);
        assertThat(MembershipDiff.between(before, a.view()))
                .hasAtLeastOneElementOfType(MembershipEvent.Restarted.class)
                .hasAtLeastOneElementOfType(MembershipEvent.TokensChanged.class)
                .hasAtLeastOneElementOfType(MembershipEvent.Up.class);
    }

    @Test
    void anOldGenerationNeverOverwritesANewOne() {
        GossipConfig config = config();
        GossipProtocol a = node(0, 1, config);
        GossipProtocol newer = node(1, 5, config);
        GossipProtocol older = node(1, 4, config);
        for (int i = 0; i < 20; i++) {
            older.tick(i * 1_000L, Fixtures.random(i)); // a much higher heartbeat in the old generation
        }
        gossip(newer, a, 0);
        gossip(older, a, 0);
        assertThat(a.state(id(1)).orElseThrow().generation()).isEqualTo(5);
    }

    @Test
    void aRestartThatReusedItsGenerationMovesPastThePeersCopy() {
        GossipConfig config = config();
        GossipProtocol a = node(0, 1, config);
        GossipProtocol x = node(1, 1, config);
        for (int i = 1; i <= 10; i++) {
            x.tick(i * 1_000L, Fixtures.random(i));
        }
        gossip(x, a, 10_000);
        GossipProtocol reborn = node(1, 1, config); // the node layer forgot to raise the generation
        gossip(reborn, a, 11_000);
        assertThat(reborn.selfState().generation()).isEqualTo(2);
        assertThat(reborn.selfSupersededCount()).isEqualTo(1);
        gossip(reborn, a, 12_000);
        assertThat(a.state(id(1)).orElseThrow().generation()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ one id, two processes

    /** A process claiming node3's id at another address: node 4's address and labels, node3's name. */
    private static GossipProtocol processOfNode3(Instance instance, int addressOf, GossipConfig config) {
        return new GossipProtocol(config, id(3), instance, Fixtures.info(addressOf));
    }

    private static PeerAddress node3As(GossipProtocol viewer) {
        return viewer.view().member(id(3)).orElseThrow().peerAddress();
    }

    @Test
    void aCopyStartedLaterRefusesOnceTheOriginalAnswersAndTheIdStaysWithTheOriginal() {
        GossipConfig config = config(peer(1));
        GossipProtocol c = node(1, 1, config);
        GossipProtocol original = processOfNode3(new Instance(10, 1), 3, config);
        GossipProtocol copy = processOfNode3(new Instance(20, 2), 4, config); // a copied data directory
        gossip(original, c, 0);
        assertThat(node3As(c)).isEqualTo(peer(3));

        // The copy starts with a higher generation: its state wins the merge, as any restart's would.
        gossip(copy, c, 1_000);
        assertThat(node3As(c)).isEqualTo(peer(4));

        // The original hears of a process that started after it with its id: it keeps the id and moves past.
        gossip(original, c, 1_000);
        IdConflict seenByOriginal = original.idConflict().orElseThrow();
        assertThat(seenByOriginal.selfRefused()).isFalse();
        assertThat(seenByOriginal.refused().peerAddress()).isEqualTo(peer(4));
        assertThat(original.selfState().generation()).isEqualTo(21);
        gossip(original, c, 1_000);
        assertThat(node3As(c)).as("back with the original").isEqualTo(peer(3));

        // The copy sees a newer state from a process that started before it: it holds still...
        gossip(copy, c, 2_000);
        assertThat(copy.refused()).isFalse();
        assertThat(copy.selfState().generation()).as("not raised past the original").isEqualTo(20);
        // ...and refuses as soon as that process's heartbeat advances: it is running.
        original.tick(3_000, Fixtures.random(1));
        gossip(original, c, 3_000);
        gossip(copy, c, 3_000);
        assertThat(copy.refused()).isTrue();
        IdConflict seenByCopy = copy.idConflict().orElseThrow();
        assertThat(seenByCopy.selfRefused()).isTrue();
        assertThat(seenByCopy.kept().peerAddress()).isEqualTo(peer(3));
        assertThat(copy.view().refused()).isTrue();

        // Refused: it says nothing more and answers nobody, so nothing moves the id again.
        assertThat(copy.tick(4_000, Fixtures.random(2))).isEmpty();
        assertThatThrownBy(() -> copy.onSyn(new GossipMessage.Syn("ringkv", digestsOf(c)), 4_000))
                .isInstanceOf(GossipRejectedException.class)
                .hasMessageContaining(peer(3).toString()).hasMessageContaining("node3");
        for (long t = 4_000; t < 20_000; t += 1_000) {
            original.tick(t, Fixtures.random(t));
            c.tick(t, Fixtures.random(t + 1));
            gossip(original, c, t);
            assertThat(node3As(c)).isEqualTo(peer(3));
        }
        assertThat(original.selfState().generation()).as("no more leapfrogging").isEqualTo(21);
        assertThat(c.liveness(id(3))).isEqualTo(Liveness.UP);
    }

    @Test
    void aRestartOnTheSameDataDirectoryIsNoConflict() {
        GossipConfig config = config(peer(1));
        GossipProtocol c = node(1, 1, config);
        GossipProtocol before = processOfNode3(new Instance(10, 1), 3, config);
        gossip(before, c, 0);
        NodeState lastWordOfTheDeadProcess = before.selfState();

        GossipProtocol after = processOfNode3(new Instance(30, 5), 3, config);
        gossip(after, c, 1_000);
        after.onAck2(new GossipMessage.Ack2(List.of(new NodeUpdate.Full(lastWordOfTheDeadProcess))), 1_000);
        assertThat(after.idConflict()).isEmpty();
        assertThat(c.state(id(3)).orElseThrow().instance()).isEqualTo(new Instance(30, 5));
    }

    @Test
    void aNodeMovedToANewAddressAfterItsOldProcessDiedKeepsItsIdEvenIfTheOldStateLooksNewer() {
        GossipConfig config = config(peer(1));
        GossipProtocol c = node(1, 1, config);
        // The old process raised its generation to 50 before it died (it had met a stale copy of itself).
        NodeState frozen = new NodeState(id(3), new Instance(10, 1), 50, 7, 0, Fixtures.info(3), List.of());
        c.onAck2(new GossipMessage.Ack2(List.of(new NodeUpdate.Full(frozen))), 0);

        GossipProtocol moved = processOfNode3(new Instance(40, 7), 4, config);
        gossip(moved, c, 1_000);
        assertThat(moved.selfState().generation()).as("holds still: the old process might be running").isEqualTo(40);
        assertThat(node3As(c)).isEqualTo(peer(3));

        // It never advances: after suspectAfter the newcomer takes it for dead and moves past it.
        long t = 1_000;
        while (t <= 1_000 + SUSPECT_AFTER_MILLIS) {
            t += 1_000;
            moved.tick(t, Fixtures.random(t));
            gossip(moved, c, t);
        }
        assertThat(moved.selfState().generation()).isEqualTo(51);
        assertThat(node3As(c)).isEqualTo(peer(4));
        assertThat(moved.idConflict()).isEmpty();
        assertThat(moved.refused()).isFalse();
    }

    @Test
    void whoKeepsTheIdIsDecidedAlikeAtBothEndsByStartThenNonce() {
        IdConflict.Claimant first = new IdConflict.Claimant(new Instance(10, -1), peer(3), peer(3));
        IdConflict.Claimant second = new IdConflict.Claimant(new Instance(10, 2), peer(4), peer(4));
        IdConflict atFirst = new IdConflict(id(3), first, second);
        IdConflict atSecond = new IdConflict(id(3), second, first);
        assertThat(atFirst.selfRefused()).as("nonces compare unsigned: -1 is the largest").isTrue();
        assertThat(atSecond.selfRefused()).isFalse();
        assertThat(atFirst.kept()).isEqualTo(atSecond.kept()).isEqualTo(second);
        assertThat(new Instance(9, Long.MAX_VALUE)).isLessThan(new Instance(10, 0));
    }

    // ------------------------------------------------------------------ leave and forget

    @Test
    void aGracefulLeaveIsAnnouncedAndTheEntryIsForgottenLater() {
        List<GossipProtocol> nodes = cluster(3);
        meshGossip(nodes, 0);
        GossipProtocol leaver = nodes.get(0), b = nodes.get(1), c = nodes.get(2);
        MembershipView before = b.view();
        leaver.announce(AnnouncedStatus.LEAVING);
        gossip(leaver, b, 1_000);
        assertThat(b.view().member(id(0)).orElseThrow().status()).isEqualTo(AnnouncedStatus.LEAVING);
        leaver.announce(AnnouncedStatus.LEFT);
        gossip(leaver, b, 2_000);
        assertThat(MembershipDiff.between(before, b.view()))
                .filteredOn(e -> e instanceof MembershipEvent.StatusChanged).hasSize(1);
        Member left = b.view().member(id(0)).orElseThrow();
        assertThat(left.status()).isEqualTo(AnnouncedStatus.LEFT);
        assertThat(left.liveness()).isEqualTo(Liveness.DOWN);

        long forgetAt = 2_000 + b.config().forgetLeftAfterMillis();
        b.tick(forgetAt - 1, Fixtures.random(1));
        assertThat(b.selfState().suspicions()).extracting(Suspicion::suspect)
                .as("a LEFT node is not suspected").doesNotContain(id(0));
        assertThat(b.knows(id(0))).isTrue();
        b.tick(forgetAt, Fixtures.random(2));
        assertThat(b.knows(id(0))).isFalse();

        // c has not forgotten yet; its stale copy must not bring the entry back during quarantine.
        gossip(leaver, c, 2_000);
        gossip(c, b, forgetAt + 1);
        assertThat(b.knows(id(0))).isFalse();
    }

    @Test
    void aLongSilentNodeWithoutTokensIsForgotten() {
        GossipConfig config = config(peer(0));
        List<GossipProtocol> nodes = IntStream.range(0, 3).mapToObj(i -> i == 0 ? node(i, 1, config)
                : new GossipProtocol(config, id(i), 1, Fixtures.info(i).withTokens(List.of()).withStatus(AnnouncedStatus.JOINING)))
                .toList();
        meshGossip(nodes, 0);
        GossipProtocol a = nodes.get(0);
        a.tick(a.config().forgetDownAfterMillis() - 1, Fixtures.random(1));
        assertThat(a.knownCount()).isEqualTo(3);
        a.tick(a.config().forgetDownAfterMillis(), Fixtures.random(1));
        assertThat(a.knownCount()).isEqualTo(1);
    }

    /**
     * Issue 12: forgetting a silent node that owns tokens would drop its ranges from the ring
     * without re-replicating its data, silently leaving them a replica short. It stays, DOWN,
     * until it comes back, leaves, or an operator removes it.
     */
    @Test
    void aLongSilentNodeThatOwnsTokensIsNeverForgotten() {
        List<GossipProtocol> nodes = cluster(3);
        meshGossip(nodes, 0);
        GossipProtocol a = nodes.get(0);
        a.tick(10 * a.config().forgetDownAfterMillis(), Fixtures.random(1));
        assertThat(a.knownCount()).isEqualTo(3);
    }

    // ------------------------------------------------------------------ exchange details

    @Test
    void gossipFromAnotherClusterIsRefused() {
        GossipProtocol a = node(0, 1, config());
        GossipMessage.Syn foreign = new GossipMessage.Syn("other", List.of());
        assertThatThrownBy(() -> a.onSyn(foreign, 0))
                .isInstanceOf(GossipRejectedException.class)
                .hasMessageContaining("'other'").hasMessageContaining("'ringkv'");
    }

    @Test
    void aHeartbeatDeltaAppliesOnlyOnTheMetadataItWasComputedAgainst() {
        GossipProtocol a = node(0, 1, config());
        GossipProtocol x = node(1, 1, config());
        gossip(x, a, 0);
        NodeState known = a.state(id(1)).orElseThrow();
        List<Suspicion> suspicions = List.of(new Suspicion(id(7), 1, 0));
        NodeUpdate stale = new NodeUpdate.HeartbeatDelta(id(1), 1, known.heartbeat() + 1,
                known.metadataVersion() + 1, suspicions);
        a.onAck2(new GossipMessage.Ack2(List.of(stale)), 0);
        assertThat(a.state(id(1)).orElseThrow()).isEqualTo(known);

        NodeUpdate fits = new NodeUpdate.HeartbeatDelta(id(1), 1, known.heartbeat() + 1,
                known.metadataVersion(), suspicions);
        a.onAck2(new GossipMessage.Ack2(List.of(fits)), 0);
        NodeState now = a.state(id(1)).orElseThrow();
        assertThat(now.heartbeat()).isEqualTo(known.heartbeat() + 1);
        assertThat(now.info()).isEqualTo(known.info());
        assertThat(now.suspicions()).isEqualTo(suspicions);
    }

    @Test
    void onlyHeartbeatDeltasTravelWhenMetadataIsCurrent() {
        List<GossipProtocol> nodes = cluster(3);
        meshGossip(nodes, 0);
        GossipProtocol a = nodes.get(0), b = nodes.get(1);
        List<Outbound> out = a.tick(1_000, Fixtures.random(1));
        GossipMessage.Ack ack = b.onSyn(out.getFirst().syn(), 1_000);
        b.tick(1_000, Fixtures.random(2));
        assertThat(ack.updates()).allMatch(u -> u instanceof NodeUpdate.HeartbeatDelta);
    }

    @Test
    void fullStatesOverTheByteBudgetFollowInLaterExchanges() {
        GossipConfig small = config().toBuilder().maxGossipPayloadBytes(4096).build();
        List<Token> manyTokens = IntStream.range(0, 200).mapToObj(i -> new Token(0, i)).toList();
        List<GossipProtocol> nodes = IntStream.range(0, 8)
                .mapToObj(i -> new GossipProtocol(small, id(i), 1, Fixtures.info(i).withTokens(manyTokens)))
                .toList();
        GossipProtocol hub = nodes.getFirst();
        for (GossipProtocol n : nodes.subList(1, nodes.size())) {
            gossip(n, hub, 0);
        }
        GossipProtocol newcomer = new GossipProtocol(small, id(50), 1, Fixtures.info(50));
        GossipMessage.Ack first = hub.onSyn(new GossipMessage.Syn("ringkv", List.of(newcomer.selfState().digest())), 0);
        assertThat(first.updates().size()).as("one state is ~3.3 KB; the budget is 4 KB").isBetween(1, 2);
        int exchanges = 0;
        while (newcomer.knownCount() < 9 && exchanges++ < 20) {
            gossip(newcomer, hub, 0);
        }
        assertThat(newcomer.knownCount()).isEqualTo(9);
    }
}
