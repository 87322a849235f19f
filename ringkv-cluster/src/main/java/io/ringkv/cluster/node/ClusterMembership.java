package io.ringkv.cluster.node;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.GossipProtocol;
import io.ringkv.cluster.membership.Gossiper;
import io.ringkv.cluster.membership.IdConflict;
import io.ringkv.cluster.membership.Instance;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.MembershipEvent;
import io.ringkv.cluster.membership.MembershipView;
import io.ringkv.cluster.membership.NodeId;
import io.ringkv.cluster.membership.NodeInfo;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.BalancedTokenAllocator;
import io.ringkv.core.ring.Token;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's membership of the cluster, wired over any {@link Transport}: its identity (read
 * and advanced to a new generation at {@link #open}), the {@link Gossiper}, the ring view the
 * coordinator reads ({@link MembershipClusterView}) and, for a node without tokens, the joiner
 * that claims them (docs/design/membership-join.md). The server runs it over Netty; tests run
 * several over the in-memory network on a virtual clock.
 *
 * <p>Lifecycle: {@link #open} (registers the gossip handlers: call before
 * {@code transport.start()}), {@link #start} (gossip rounds and joining), {@link #close}.
 *
 * <p>If gossip finds another process claiming this node's id and this one must give way
 * ({@link #refused()}), it logs why at ERROR, stops gossip and joining for good, and the node
 * must serve nothing (the server checks {@link #refused()}); the process keeps running so that
 * its status says so.
 */
public final class ClusterMembership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);
    /**
     * Instance nonces tell this process from another started on a copy of the same identity. Not
     * drawn from the injected random source: that stream drives gossip, and one more draw would
     * change every seeded run. The nonce decides nothing there unless two start generations tie.
     */
    private static final SecureRandom NONCES = new SecureRandom();

    private final MembershipSettings settings;
    private final Gossiper gossiper;
    private final MembershipClusterView view;
    private final RingJoiner joiner;
    private final SeedSet seeds;
    /**
     * Guards {@link #identity} and its file, and nothing else: the membership listener reads and
     * raises the identity while the gossiper holds its publish lock, and the status changes here
     * publish while holding this object's monitor, so the identity must not share that monitor
     * (a joining node once hung for good in that cycle: ClusterMembershipLockOrderTest).
     */
    private final Object identityLock = new Object();
    private NodeIdentity identity; // guarded by identityLock
    private boolean closed;        // guarded by this

    private ClusterMembership(MembershipSettings settings, NodeIdentity identity, Transport transport,
                              Scheduler scheduler, RandomGenerator random) {
        this.settings = settings;
        this.identity = identity;
        PeerAddress self = transport.localAddress();
        NodeInfo info = new NodeInfo(startingStatus(identity, settings), self,
                settings.httpAddress(), settings.dataCenter(), settings.rack(), settings.weight(), identity.tokens());
        Instance instance = new Instance(identity.generation(), NONCES.nextLong());
        GossipProtocol protocol = new GossipProtocol(settings.gossip(), NodeId.of(settings.nodeId()), instance, info);
        this.gossiper = new Gossiper(protocol, transport, scheduler, random);
        List<PeerAddress> seeds = settings.gossip().seeds();
        // A restart with saved tokens starts from a ring of itself alone: it must hear a peer first.
        boolean mustHearPeer = identity.hasTokens() && seeds.stream().anyMatch(seed -> !seed.equals(self));
        this.view = new MembershipClusterView(gossiper.membership(), mustHearPeer);
        this.seeds = SeedSet.of(seeds, self);
        this.joiner = new RingJoiner(gossiper, scheduler, settings.joinRule(),
                new BalancedTokenAllocator(settings.vnodesPerWeightUnit()),
                new io.ringkv.core.ring.Member(settings.nodeId(), settings.dataCenter(), settings.rack(), settings.weight()),
                this.seeds, settings.gossip().gossipIntervalMillis(), this::persistTokens,
                settings.streamsData() ? () -> MembershipChangeFile.write(settings.dataDirectory(),
                        MembershipChangeFile.Change.JOINING) : null,
                settings.replaces().map(NodeId::of));
        gossiper.membership().subscribe((previous, current, events) -> {
            followOwnGeneration(current);
            events.stream().filter(e -> e instanceof MembershipEvent.IdConflictFound).findFirst()
                    .ifPresent(e -> onIdConflict(((MembershipEvent.IdConflictFound) e).conflict()));
        });
    }

    /**
     * Reads this node's identity from its data directory, persists the new generation, and builds
     * the gossiper (registering its handlers on {@code transport}). Throws
     * {@link NodeIdentityException} if the identity file is damaged or belongs to another node.
     *
     * @param wallClockMillis wall-clock milliseconds: a new generation is at least this
     */
    public static ClusterMembership open(MembershipSettings settings, Transport transport, Scheduler scheduler,
                                         RandomGenerator random, LongSupplier wallClockMillis) {
        Objects.requireNonNull(settings, "settings");
        NodeIdentity identity = NodeIdentityFile.startup(settings.dataDirectory(), settings.nodeId(),
                wallClockMillis.getAsLong());
        log.info("node {} starts with generation {} and {} ({})", settings.nodeId(), identity.generation(),
                identity.hasTokens() ? identity.tokens().size() + " saved tokens" : "no tokens yet",
                NodeIdentityFile.path(settings.dataDirectory()));
        return new ClusterMembership(settings, identity, transport, scheduler, random);
    }

    /**
     * What this node announces at start: JOINING without tokens or while a join's streaming is
     * unfinished, LEAVING while a decommission is, else NORMAL. A node that left refuses to start.
     */
    private static AnnouncedStatus startingStatus(NodeIdentity identity, MembershipSettings settings) {
        if (!identity.hasTokens()) {
            return AnnouncedStatus.JOINING;
        }
        return switch (MembershipChangeFile.read(settings.dataDirectory()).orElse(null)) {
            case null -> AnnouncedStatus.NORMAL;
            case JOINING -> AnnouncedStatus.JOINING;
            case LEAVING -> AnnouncedStatus.LEAVING;
            case LEFT -> throw new NodeIdentityException("node " + settings.nodeId() + " was decommissioned and left the"
                    + " cluster; to join again, start it with an empty data directory (" + settings.dataDirectory() + ")");
        };
    }

    /** What this node announces now. */
    public AnnouncedStatus status() {
        return membership().selfMember().status();
    }

    /** A join's data is all here: announce NORMAL (the node now serves its tokens), and forget the change. */
    public synchronized void completeJoin() {
        gossiper.updateLocalInfo(info -> info.withStatus(AnnouncedStatus.NORMAL));
        MembershipChangeFile.clear(settings.dataDirectory());
        log.info("node {} has streamed every range it replicates: status NORMAL", settings.nodeId());
    }

    /** A decommission starts: announce LEAVING (still serving; the nodes taking over get writes too). */
    public synchronized void startLeaving() {
        if (!hasJoined()) {
            throw new IllegalStateException("node " + settings.nodeId() + " owns no tokens: nothing to decommission");
        }
        MembershipChangeFile.write(settings.dataDirectory(), MembershipChangeFile.Change.LEAVING);
        gossiper.updateLocalInfo(info -> info.withStatus(AnnouncedStatus.LEAVING));
        log.info("node {} is leaving: status LEAVING, handing its ranges over", settings.nodeId());
    }

    /** Every range is handed over: announce LEFT (tokens out of the ring) and refuse any later start with this data. */
    public synchronized void announceLeft() {
        MembershipChangeFile.write(settings.dataDirectory(), MembershipChangeFile.Change.LEFT);
        gossiper.updateLocalInfo(info -> info.withStatus(AnnouncedStatus.LEFT));
        log.info("node {} has handed every range over: status LEFT", settings.nodeId());
    }

    /**
     * Removes node {@code nodeId}, which is down and should not come back, from the ring
     * (removenode): announces it LEFT on its behalf. Its ranges then belong to the next nodes of
     * the ring, whose anti-entropy fills them from the surviving replicas
     * (docs/design/membership.md, "Removing a dead node"). Refused (IllegalStateException) for
     * this node, an unknown node, one that is not DOWN, or one that owns no tokens.
     */
    public synchronized void removeNode(String nodeId) {
        NodeId id;
        try {
            id = NodeId.of(nodeId);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("\"" + nodeId + "\" is not a node id");
        }
        if (id.value().equals(settings.nodeId())) {
            throw new IllegalStateException("node " + nodeId + " cannot remove itself; decommission it instead");
        }
        Member member = membership().member(id).orElseThrow(() ->
                new IllegalStateException("node " + nodeId + " is not a member this node knows"));
        if (member.liveness() != Liveness.DOWN) {
            throw new IllegalStateException("node " + nodeId + " is " + member.liveness() + ", not DOWN: decommission a live"
                    + " node instead, or wait until the others agree it is down");
        }
        if (member.tokens().isEmpty() || member.status() == AnnouncedStatus.LEFT) {
            throw new IllegalStateException("node " + nodeId + " owns no tokens (" + member.status() + "): nothing to remove");
        }
        gossiper.announceRemoved(id);
        log.warn("node {} removed node {} from the ring (removenode): its {} tokens are released and its ranges are"
                + " re-replicated from the surviving replicas", settings.nodeId(), nodeId, member.tokens().size());
    }

    /** Starts gossip rounds and, if this node has no tokens, the join. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("cluster membership of " + settings.nodeId() + " is closed");
        }
        gossiper.start();
        joiner.start();
    }

    /** The coordinator's view: ring, liveness, addresses. */
    public MembershipClusterView clusterView() {
        return view;
    }

    public Gossiper gossiper() {
        return gossiper;
    }

    public MembershipView membership() {
        return gossiper.membership().current();
    }

    /** Whether this node may create the ring (its address is a seed, or it has no seeds). */
    public boolean isSeed() {
        return seeds.selfIsSeed();
    }

    /** True once this node owns tokens (at once after a restart that kept them). */
    public boolean hasJoined() {
        return !membership().selfMember().tokens().isEmpty();
    }

    /** Another process claims this node's id; see {@link IdConflict} for who keeps it. */
    public Optional<IdConflict> idConflict() {
        return membership().idConflict();
    }

    /** What happened and what to do, for status pages, once a conflict was found. */
    public Optional<String> idConflictNotice() {
        return idConflict().map(this::describe);
    }

    /** What happened and what to do about {@code conflict}, in the words logged when it was found. */
    public String describe(IdConflict conflict) {
        return IdConflictNotice.describe(conflict, settings.dataDirectory());
    }

    /**
     * True once another process, started first with this node's id, was found running: this one
     * gossips no more and must serve nothing.
     */
    public boolean refused() {
        return membership().refused();
    }

    /** The identity as last written to the data directory. */
    public NodeIdentity identity() {
        synchronized (identityLock) {
            return identity;
        }
    }

    /** Stops the joiner and the gossip rounds; the transport is the caller's. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        joiner.stop();
        gossiper.close();
    }

    private void persistTokens(List<Token> tokens) {
        persist(current -> current.withTokens(tokens));
    }

    /**
     * A membership listener, so it runs under the gossiper's publish lock: it must take no lock
     * that a caller holds while publishing (this object's monitor: completeJoin, startLeaving, ...),
     * or the two wait for each other for good. Stopping needs none: both stops set a flag.
     */
    private void onIdConflict(IdConflict conflict) {
        log.error(describe(conflict));
        if (conflict.selfRefused()) {
            joiner.stop();
            gossiper.close();
        }
    }

    /** Gossip may raise our generation past a peer's claim of a newer state of us; never reuse it. */
    private void followOwnGeneration(MembershipView current) {
        long generation = current.selfMember().generation();
        if (generation > identity().generation()) {
            try {
                persist(saved -> generation > saved.generation() ? saved.withGeneration(generation) : saved);
            } catch (NodeIdentityException e) {
                log.error("node {}: could not save generation {}", settings.nodeId(), generation, e);
            }
        }
    }

    private void persist(UnaryOperator<NodeIdentity> change) {
        synchronized (identityLock) {
            NodeIdentity next = change.apply(identity);
            if (!next.equals(identity)) {
                NodeIdentityFile.write(settings.dataDirectory(), next);
                identity = next;
            }
        }
    }
}
