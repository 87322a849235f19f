package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * One node's gossip membership and failure detector, as a deterministic state machine: no I/O,
 * no threads, no clock, no randomness of its own. Inputs are the current time, incoming
 * messages and a random source; outputs are messages to send. {@link Gossiper} drives it over
 * the Transport; {@code membership.sim.GossipSimulation} drives a thousand of them in one thread.
 *
 * <p>Why this shape (docs/design/gossip.md): Dynamo §4.8 spreads membership and liveness by
 * gossip, each node contacting random peers every round, so news reaches all n nodes in
 * O(log n) rounds (Demers et al. 1987). Each node owns its entry and bumps its heartbeat every
 * round; entries merge by "newer wins" ({@link NodeState#FRESHNESS}), which is commutative,
 * associative and idempotent, so the order messages arrive in never matters. A node whose
 * heartbeat stops advancing is suspected locally; the suspicion is published in the suspector's
 * own entry, and a node is DOWN in a view only when two distinct nodes suspect its latest known
 * heartbeat ({@link SuspicionCount}), so one node's broken link cannot take a peer out of the
 * cluster (docs/decisions/failure-detector.md).
 *
 * <p>Each state names the process that wrote it ({@link Instance}). When a second process claims
 * this node's id (a copied data directory), {@link IdGuard} decides which of the two keeps it;
 * the other {@linkplain #refused() refuses}: it stops gossiping and answers no exchange, so its
 * last state is superseded everywhere and the id stays with the first process.
 *
 * <p>Not thread-safe: the owner serializes calls.
 */
public final class GossipProtocol {
    private final GossipConfig config;
    private final NodeId selfId;
    private final MemberTable table;
    private final IdGuard idGuard;
    private NodeState self;
    private long selfHeartbeatMillis; // time of the last tick, when our own heartbeat advanced
    private MembershipView cachedView;
    private long selfSupersededCount;

    /**
     * @param instance this process: its start generation, higher than any this node id used
     *                 before (the node layer persists it; a restart with a higher generation
     *                 supersedes everything the old incarnation said), and a random nonce
     */
    public GossipProtocol(GossipConfig config, NodeId id, Instance instance, NodeInfo info) {
        this.config = Objects.requireNonNull(config, "config");
        this.selfId = Objects.requireNonNull(id, "id");
        if (!instance.isKnown()) {
            throw new IllegalArgumentException("a running node needs a known instance, was " + instance);
        }
        this.self = NodeState.initial(id, instance, info);
        this.table = new MemberTable(id, MembershipView.MAX_MEMBERS);
        this.idGuard = new IdGuard(instance, config.suspectAfterMillis());
    }

    /**
     * A process whose instance is its generation with nonce 0: for tests and the simulation,
     * where no two processes share an id by accident.
     */
    public GossipProtocol(GossipConfig config, NodeId id, long generation, NodeInfo info) {
        this(config, id, new Instance(generation, 0), info);
    }

    public NodeId selfId() {
        return selfId;
    }

    public NodeState selfState() {
        return self;
    }

    public GossipConfig config() {
        return config;
    }

    /** How often a peer claimed a newer state of this node and the generation was raised past it. */
    public long selfSupersededCount() {
        return selfSupersededCount;
    }

    /** Another process claims this node's id: who keeps it (see {@link IdGuard}); empty if none was seen. */
    public Optional<IdConflict> idConflict() {
        return Optional.ofNullable(idGuard.conflict());
    }

    /**
     * True once this process found that another one, started first and still running, claims its
     * id: from then on it gossips no more, answers no exchange and changes nothing.
     */
    public boolean refused() {
        return idGuard.refused();
    }

    // ---------------------------------------------------------------- local changes

    /** Changes what this node says about itself (status, tokens, addresses...). */
    public void updateLocalInfo(UnaryOperator<NodeInfo> change) {
        NodeInfo next = Objects.requireNonNull(change.apply(self.info()), "new info");
        if (!next.equals(self.info())) {
            self = self.withInfo(next);
            cachedView = null;
        }
    }

    public void announce(AnnouncedStatus status) {
        updateLocalInfo(info -> info.withStatus(status));
    }

    public void claimTokens(List<Token> tokens) {
        updateLocalInfo(info -> info.withTokens(tokens));
    }

    /**
     * Announces, on behalf of node {@code id}, that it has LEFT: an operator removed it while it
     * was down (removenode, docs/design/membership.md). The new state is the node's own state one
     * step newer (same generation and instance, heartbeat and metadata version + 1), so it
     * spreads as any update of it would; should the node ever start again, its new generation
     * supersedes it. False for this node itself or a node this one does not know.
     */
    public boolean announceRemoved(NodeId id, long nowMillis) {
        NodeState state = id.equals(selfId) ? null : stateOrNull(id);
        if (state == null) {
            return false;
        }
        boolean changed = table.apply(new NodeUpdate.Full(state.withInfo(state.info().withStatus(AnnouncedStatus.LEFT))),
                nowMillis);
        cachedView = null;
        return changed;
    }

    // ---------------------------------------------------------------- the round

    /**
     * One gossip round at {@code nowMillis}: bump the heartbeat, forget long-dead entries,
     * re-evaluate suspicions, and pick the peers to exchange with.
     */
    public List<Outbound> tick(long nowMillis, RandomGenerator random) {
        if (refused()) {
            return List.of(); // silent: our last state is superseded everywhere by the process that keeps the id
        }
        idGuard.expireHold(nowMillis).ifPresent(this::supersedeOwnState);
        forgetExpired(nowMillis);
        List<Suspicion> suspicions = new ArrayList<>();
        List<PeerAddress> reachable = new ArrayList<>();
        List<PeerAddress> unreachable = new ArrayList<>();
        for (MemberTable.Tracked t : table.all()) {
            NodeState s = t.state();
            if (s.status() == AnnouncedStatus.LEFT) {
                continue;
            }
            if (nowMillis - t.lastAdvancedMillis() >= config.suspectAfterMillis()) {
                suspicions.add(new Suspicion(s.id(), s.generation(), s.heartbeat()));
                unreachable.add(s.info().peerAddress());
            } else {
                reachable.add(s.info().peerAddress());
            }
        }
        suspicions.sort(null);
        self = self.withHeartbeat(self.heartbeat() + 1, suspicions);
        selfHeartbeatMillis = nowMillis;
        cachedView = null;

        List<PeerAddress> targets = PeerSelector.choose(
                config.gossipFanout(), seedsOtherThanSelf(), reachable, unreachable, random);
        if (targets.isEmpty()) {
            return List.of();
        }
        GossipMessage.Syn syn = new GossipMessage.Syn(config.clusterName(), digests());
        List<Outbound> out = new ArrayList<>(targets.size());
        for (PeerAddress target : targets) {
            if (!target.equals(self.info().peerAddress())) {
                out.add(new Outbound(target, syn));
            }
        }
        return out;
    }

    private void forgetExpired(long nowMillis) {
        List<NodeId> expired = new ArrayList<>();
        for (MemberTable.Tracked t : table.all()) {
            long silentMillis = nowMillis - t.lastAdvancedMillis();
            boolean left = t.state().status() == AnnouncedStatus.LEFT;
            // A silent node that owns tokens stays (DOWN) until it returns, leaves or is removed: dropping
            // it would drop its ranges from the ring without re-replicating its data (docs/design/membership.md).
            boolean ownsTokens = !left && !t.state().info().tokens().isEmpty();
            if ((left && silentMillis >= config.forgetLeftAfterMillis())
                    || (!ownsTokens && silentMillis >= config.forgetDownAfterMillis())) {
                expired.add(t.state().id());
            }
        }
        for (NodeId id : expired) {
            table.forget(id, nowMillis, config.forgetQuarantineMillis());
            cachedView = null;
        }
        table.expireQuarantines(nowMillis);
    }

    private List<PeerAddress> seedsOtherThanSelf() {
        PeerAddress mine = self.info().peerAddress();
        return config.seeds().stream().filter(seed -> !seed.equals(mine)).toList();
    }

    private List<Digest> digests() {
        List<Digest> digests = new ArrayList<>(table.size() + 1);
        digests.add(self.digest());
        for (MemberTable.Tracked t : table.all()) {
            digests.add(t.state().digest());
        }
        return digests;
    }

    // ---------------------------------------------------------------- the exchange

    /** A peer's Syn: answer with what it lacks and ask for what we lack. */
    public GossipMessage.Ack onSyn(GossipMessage.Syn syn, long nowMillis) {
        if (!syn.clusterName().equals(config.clusterName())) {
            throw new GossipRejectedException("gossip from cluster '" + syn.clusterName()
                    + "' refused by a node of cluster '" + config.clusterName() + "'");
        }
        if (refused()) {
            IdConflict c = idGuard.conflict();
            throw new GossipRejectedException("this process (" + c.self().peerAddress() + ") no longer speaks for node "
                    + selfId + ": the process at " + c.kept().peerAddress() + " started first with the same node id");
        }
        UpdateBatch batch = new UpdateBatch(config.maxGossipPayloadBytes());
        List<Digest> requests = new ArrayList<>();
        Set<NodeId> theyKnow = new HashSet<>(syn.digests().size() * 2);
        for (Digest d : syn.digests()) {
            if (!theyKnow.add(d.id())) {
                continue;
            }
            if (d.id().equals(selfId)) {
                if (d.compareTo(self) > 0) {
                    // Ask for that state rather than move past it blindly: only the full state
                    // says which process wrote it, and IdGuard needs that (our restart's stale
                    // copy, or another process with our id).
                    requests.add(self.digest());
                } else if (d.compareTo(self) < 0) {
                    batch.addOwn(self, d);
                }
                continue;
            }
            MemberTable.Tracked t = table.get(d.id());
            if (t == null) {
                if (d.generation() > 0 && !table.isQuarantined(d.id(), d.generation())
                        && requests.size() < MembershipView.MAX_MEMBERS) {
                    requests.add(Digest.unknown(d.id()));
                }
                continue;
            }
            int c = d.compareTo(t.state());
            if (c < 0) {
                batch.add(t.state(), d);
            } else if (c > 0) {
                requests.add(t.state().digest());
            }
        }
        if (!theyKnow.contains(selfId)) {
            batch.addOwn(self, null);
        }
        for (MemberTable.Tracked t : table.all()) {
            if (!theyKnow.contains(t.state().id())) {
                batch.add(t.state(), null);
            }
        }
        return new GossipMessage.Ack(batch.build(), requests);
    }

    /** The peer's Ack: merge its updates and send what it asked for. */
    public GossipMessage.Ack2 onAck(GossipMessage.Ack ack, long nowMillis) {
        applyAll(ack.updates(), nowMillis);
        if (refused()) {
            return new GossipMessage.Ack2(List.of()); // perhaps refused by this very Ack
        }
        UpdateBatch batch = new UpdateBatch(config.maxGossipPayloadBytes());
        for (Digest r : ack.requests()) {
            NodeState mine = r.id().equals(selfId) ? self : stateOrNull(r.id());
            if (mine == self && r.compareTo(mine) < 0) {
                batch.addOwn(mine, r);
            } else if (mine != null && r.compareTo(mine) < 0) {
                batch.add(mine, r);
            }
        }
        return new GossipMessage.Ack2(batch.build());
    }

    public void onAck2(GossipMessage.Ack2 ack2, long nowMillis) {
        applyAll(ack2.updates(), nowMillis);
    }

    /** Merges updates; a refused process takes in nothing more. */
    private void applyAll(List<NodeUpdate> updates, long nowMillis) {
        for (NodeUpdate u : updates) {
            if (refused()) {
                return;
            }
            if (u.id().equals(selfId)) {
                observeSelf(u, nowMillis);
            } else if (table.apply(u, nowMillis)) {
                cachedView = null;
            }
        }
    }

    /**
     * A state of this node reached us. Written by this very process it can only be older than
     * ours, unless a restart reused our generation (then we move past it, or we would be
     * shadowed forever). Written by another process, {@link IdGuard} decides: move past it, hold
     * still while we learn whether that process runs, or refuse the id.
     */
    private void observeSelf(NodeUpdate u, long nowMillis) {
        if (u instanceof NodeUpdate.Full f && f.state().instance().isKnown()
                && !f.state().instance().equals(self.instance())) {
            IdConflict before = idGuard.conflict();
            if (idGuard.onRivalState(self, f.state(), nowMillis) == IdGuard.Action.SUPERSEDE) {
                supersedeOwnState(f.state().generation());
            }
            if (idGuard.conflict() != before) {
                cachedView = null; // the view carries the conflict
            }
            return;
        }
        if (idGuard.holding()) {
            return; // a delta or an unattributed state: no reason to take the id from the rival we watch
        }
        boolean newer = switch (u) {
            case NodeUpdate.Full f -> f.state().supersedes(self);
            case NodeUpdate.HeartbeatDelta d -> d.generation() > self.generation()
                    || (d.generation() == self.generation() && d.heartbeat() > self.heartbeat());
        };
        if (newer) {
            long theirs = u instanceof NodeUpdate.Full f ? f.state().generation()
                    : ((NodeUpdate.HeartbeatDelta) u).generation();
            supersedeOwnState(theirs);
        }
    }

    private void supersedeOwnState(long theirGeneration) {
        self = self.withGeneration(Math.max(self.generation(), theirGeneration) + 1);
        selfSupersededCount++;
        cachedView = null;
    }

    // ---------------------------------------------------------------- reading

    public boolean knows(NodeId id) {
        return id.equals(selfId) || table.get(id) != null;
    }

    public Optional<NodeState> state(NodeId id) {
        return Optional.ofNullable(id.equals(selfId) ? self : stateOrNull(id));
    }

    /** Entries in this node's list, itself included. */
    public int knownCount() {
        return table.size() + 1;
    }

    /** Liveness of one node in this node's view; cheaper than building the whole view. */
    public Liveness liveness(NodeId id) {
        if (id.equals(selfId)) {
            return Liveness.UP;
        }
        NodeState subject = stateOrNull(id);
        if (subject == null) {
            throw new IllegalArgumentException("unknown node " + id);
        }
        int others = 0;
        int notLeft = 1;
        for (MemberTable.Tracked t : table.all()) {
            NodeState s = t.state();
            if (s.status() != AnnouncedStatus.LEFT) {
                notLeft++;
            }
            if (!s.id().equals(id) && SuspicionCount.counts(s.suspicions(), subject)) {
                others++;
            }
        }
        return SuspicionCount.decide(subject, SuspicionCount.counts(self.suspicions(), subject), others,
                SuspicionCount.required(config.downConfirmations(), notLeft));
    }

    /** The current view; the same object until something changes. */
    public MembershipView view() {
        if (cachedView == null) {
            cachedView = buildView();
        }
        return cachedView;
    }

    private MembershipView buildView() {
        Map<NodeId, Member> members = new HashMap<>();
        members.put(selfId, new Member(self, Liveness.UP, selfHeartbeatMillis));
        forEachLiveness((tracked, liveness) -> members.put(tracked.state().id(),
                new Member(tracked.state(), liveness, tracked.lastAdvancedMillis())));
        return new MembershipView(selfId, members, idConflict());
    }

    /**
     * The nodes this node's view holds DOWN, without building the view (the simulation asks this
     * of a thousand nodes every round).
     */
    public List<NodeId> downMembers() {
        List<NodeId> down = new ArrayList<>();
        forEachLiveness((tracked, liveness) -> {
            if (liveness == Liveness.DOWN) {
                down.add(tracked.state().id());
            }
        });
        return down;
    }

    /** Applies the two-source rule to every remote entry: O(members + published suspicions). */
    private void forEachLiveness(java.util.function.BiConsumer<MemberTable.Tracked, Liveness> sink) {
        Map<NodeId, List<Suspicion>> bySubject = new HashMap<>();
        int notLeft = 1;
        for (MemberTable.Tracked t : table.all()) {
            if (t.state().status() != AnnouncedStatus.LEFT) {
                notLeft++;
            }
            for (Suspicion s : t.state().suspicions()) {
                bySubject.computeIfAbsent(s.suspect(), k -> new ArrayList<>()).add(s);
            }
        }
        int required = SuspicionCount.required(config.downConfirmations(), notLeft);
        for (MemberTable.Tracked t : table.all()) {
            NodeState subject = t.state();
            int others = 0;
            for (Suspicion s : bySubject.getOrDefault(subject.id(), List.of())) {
                if (s.coversAtLeast(subject.generation(), subject.heartbeat())) {
                    others++;
                }
            }
            boolean selfCounts = SuspicionCount.counts(self.suspicions(), subject);
            sink.accept(t, SuspicionCount.decide(subject, selfCounts, others, required));
        }
    }

    private NodeState stateOrNull(NodeId id) {
        MemberTable.Tracked t = table.get(id);
        return t == null ? null : t.state();
    }
}
