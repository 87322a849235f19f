package io.ringkv.cluster.membership;

import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.Token;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link GossipProtocol} over a {@link Transport}: every gossipIntervalMillis it ticks the
 * protocol and carries out the exchanges it asks for; it serves peers' exchanges; after every
 * step that changed something it publishes the new view to its {@link MembershipHolder}.
 * Deciding stays in the protocol; this class only moves bytes (Pebble: decide apart from do).
 *
 * <p>One exchange is two Transport requests: {@link #MESSAGE_TYPE_SYN} carries a Syn and is
 * answered with an Ack; {@link #MESSAGE_TYPE_ACK2} carries the Ack2 and is answered with an empty
 * payload. A failed or timed-out exchange is simply dropped: gossip repairs itself next round.
 * Answers go in the format version of the message they answer, so a node still speaking an
 * older version completes the exchanges it starts (docs/design/gossip.md, "Versions").
 *
 * <p>Thread-safety: protocol calls are serialized on one lock; views are published outside it,
 * in the order they were taken, so a listener may call back into this class.
 */
public final class Gossiper implements AutoCloseable {
    /** Request: Syn. Response: Ack. ('G' 1) */
    public static final int MESSAGE_TYPE_SYN = 0x4701;
    /** Request: Ack2. Response: empty. ('G' 2) */
    public static final int MESSAGE_TYPE_ACK2 = 0x4702;

    private static final Logger log = LoggerFactory.getLogger(Gossiper.class);
    private static final byte[] EMPTY = new byte[0];

    private final Object lock = new Object();
    private final GossipProtocol protocol;
    private final Transport transport;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final MembershipHolder holder;
    private final Object publishLock = new Object();
    private long viewSequence;      // guarded by lock
    private MembershipView lastTaken; // guarded by lock
    private long publishedSequence; // guarded by publishLock
    private volatile boolean running;
    private final AtomicLong roundsRun = new AtomicLong();
    private final AtomicLong exchangesFailed = new AtomicLong();
    private final AtomicLong messagesRejected = new AtomicLong();

    /** Registers the gossip handlers on {@code transport}; call before the transport starts. */
    public Gossiper(GossipProtocol protocol, Transport transport, Scheduler scheduler, RandomGenerator random) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.lastTaken = protocol.view();
        this.holder = new MembershipHolder(lastTaken);
        transport.register(MESSAGE_TYPE_SYN, this::handleSyn);
        transport.register(MESSAGE_TYPE_ACK2, this::handleAck2);
    }

    /** The views this gossiper publishes; subscribe here for join/leave/up/down/tokens events. */
    public MembershipHolder membership() {
        return holder;
    }

    /** Starts gossiping every gossipIntervalMillis, first round now. */
    public void start() {
        running = true;
        scheduler.schedule(0, this::scheduledRound);
    }

    /** Stops scheduling rounds; exchanges in flight finish or time out on their own. */
    @Override
    public void close() {
        running = false;
    }

    private void scheduledRound() {
        if (!running) {
            return;
        }
        try {
            runRound();
        } catch (RuntimeException e) {
            log.error("gossip round failed", e); // keep gossiping: a silent node would be declared DOWN
        }
        scheduler.schedule(protocol.config().gossipIntervalMillis(), this::scheduledRound);
    }

    /**
     * One round now: tick, then exchange with the chosen peers. Completes when every exchange
     * has finished, failed or timed out; never exceptionally.
     */
    public CompletableFuture<Void> runRound() {
        List<Outbound> outs;
        synchronized (lock) {
            outs = protocol.tick(scheduler.nowMillis(), random);
        }
        roundsRun.incrementAndGet();
        publish();
        if (outs.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] syn = GossipCodec.encode(outs.getFirst().syn()); // one Syn per round, same for every target
        CompletableFuture<?>[] exchanges = outs.stream()
                .map(out -> exchange(out.target(), syn))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(exchanges);
    }

    private CompletableFuture<Void> exchange(PeerAddress target, byte[] syn) {
        long timeoutMillis = protocol.config().gossipTimeoutMillis();
        return transport.request(target, MESSAGE_TYPE_SYN, syn, timeoutMillis)
                .thenCompose(ackBytes -> {
                    GossipMessage.Ack ack = decodeAs(GossipMessage.Ack.class, ackBytes);
                    int version = GossipCodec.version(ackBytes);
                    GossipMessage.Ack2 ack2;
                    synchronized (lock) {
                        ack2 = protocol.onAck(ack, scheduler.nowMillis());
                    }
                    publish();
                    if (ack2.updates().isEmpty()) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return transport.request(target, MESSAGE_TYPE_ACK2, GossipCodec.encode(ack2, version), timeoutMillis)
                            .thenApply(ignored -> (Void) null);
                })
                .exceptionally(error -> {
                    exchangesFailed.incrementAndGet();
                    log.debug("gossip exchange with {} failed: {}", target, error.toString());
                    return null;
                });
    }

    private CompletableFuture<byte[]> handleSyn(PeerAddress from, byte[] payload) {
        try {
            GossipMessage.Syn syn = decodeAs(GossipMessage.Syn.class, payload);
            GossipMessage.Ack ack;
            synchronized (lock) {
                ack = protocol.onSyn(syn, scheduler.nowMillis());
            }
            publish();
            return CompletableFuture.completedFuture(GossipCodec.encode(ack, GossipCodec.version(payload)));
        } catch (MalformedGossipException | GossipRejectedException e) {
            messagesRejected.incrementAndGet();
            log.warn("gossip from {} refused: {}", from, e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<byte[]> handleAck2(PeerAddress from, byte[] payload) {
        try {
            GossipMessage.Ack2 ack2 = decodeAs(GossipMessage.Ack2.class, payload);
            synchronized (lock) {
                protocol.onAck2(ack2, scheduler.nowMillis());
            }
            publish();
            return CompletableFuture.completedFuture(EMPTY);
        } catch (MalformedGossipException e) {
            messagesRejected.incrementAndGet();
            log.warn("gossip from {} refused: {}", from, e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T extends GossipMessage> T decodeAs(Class<T> kind, byte[] bytes) {
        GossipMessage message = GossipCodec.decode(bytes);
        if (!kind.isInstance(message)) {
            throw new MalformedGossipException("expected a gossip " + kind.getSimpleName() + ", got "
                    + message.getClass().getSimpleName());
        }
        return kind.cast(message);
    }

    // ---------------------------------------------------------------- local changes

    /** Changes what this node announces about itself; spreads with the next rounds. */
    public void updateLocalInfo(UnaryOperator<NodeInfo> change) {
        synchronized (lock) {
            protocol.updateLocalInfo(change);
        }
        publish();
    }

    /** Announces JOINING, NORMAL, LEAVING or LEFT (graceful leave: LEAVING, transfer, LEFT). */
    public void announce(AnnouncedStatus status) {
        updateLocalInfo(info -> info.withStatus(status));
    }

    public void claimTokens(List<Token> tokens) {
        updateLocalInfo(info -> info.withTokens(tokens));
    }

    /** Announces that node {@code id}, down, was removed: LEFT on its behalf ({@link GossipProtocol#announceRemoved}). */
    public boolean announceRemoved(NodeId id) {
        boolean changed;
        synchronized (lock) {
            changed = protocol.announceRemoved(id, nowMillis());
        }
        publish();
        return changed;
    }

    /** This node's current generation (raised past a conflicting peer claim; the node layer persists it). */
    public long generation() {
        synchronized (lock) {
            return protocol.selfState().generation();
        }
    }

    /** Now on this gossiper's monotonic clock, the clock of {@link Member#heartbeatAdvancedMillis()}. */
    public long nowMillis() {
        return scheduler.nowMillis();
    }

    /**
     * How long ago {@code member}'s heartbeat last advanced at this node (0 for this node itself,
     * which is alive by definition while it can answer). Only for members of this gossiper's views.
     */
    public long heartbeatAgeMillis(Member member) {
        if (member.id().equals(protocol.selfId())) {
            return 0;
        }
        return Math.max(0, scheduler.nowMillis() - member.heartbeatAdvancedMillis());
    }

    public long roundsRun() {
        return roundsRun.get();
    }

    /** Exchanges this node started that failed or timed out. */
    public long exchangesFailed() {
        return exchangesFailed.get();
    }

    /** Incoming gossip refused as malformed or from another cluster. */
    public long messagesRejected() {
        return messagesRejected.get();
    }

    /** Takes the protocol's view under its lock, publishes it outside, never out of order. */
    private void publish() {
        MembershipView view;
        long sequence;
        synchronized (lock) {
            view = protocol.view();
            if (view == lastTaken) {
                return;
            }
            lastTaken = view;
            sequence = ++viewSequence;
        }
        synchronized (publishLock) {
            if (sequence > publishedSequence) {
                publishedSequence = sequence;
                holder.publish(view);
            }
        }
    }
}
