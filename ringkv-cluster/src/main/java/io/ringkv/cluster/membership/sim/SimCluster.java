package io.ringkv.cluster.membership.sim;

import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.membership.GossipMessage;
import io.ringkv.cluster.membership.GossipProtocol;
import io.ringkv.cluster.membership.NodeId;
import io.ringkv.cluster.membership.NodeInfo;
import io.ringkv.cluster.membership.Outbound;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Many {@link GossipProtocol}s in one thread, exchanging messages by direct calls: the
 * simulated twin of a cluster on a network (TigerBeetle's VOPR idea). No threads, no sockets,
 * no wall clock: one seeded random source decides tick order, peer choice and message loss, so
 * a seed replays a run exactly.
 *
 * <p>A round advances simulated time by one gossipIntervalMillis and ticks every live node once,
 * in a freshly shuffled order. How the exchanges of a round interleave is the {@link RoundModel}.
 * Nodes can be killed, restarted with a higher generation, and cut off from chosen peers (both
 * directions).
 */
public final class SimCluster {

    /** How the exchanges started in one round interleave. */
    public enum RoundModel {
        /**
         * Synchronous rounds, as in the epidemic-theory papers: every node ticks on the state it
         * had at the start of the round; then all Syns are answered, then all Acks, then all
         * Ack2s. News moves at most about two hops per round. The conservative model.
         */
        LOCKSTEP,
        /**
         * Each exchange (Syn, Ack, Ack2) completes before the next node ticks: an asynchronous
         * cluster whose network latency is small against the gossip interval, where news can
         * travel several hops within one interval.
         */
        SEQUENTIAL
    }

    private record Pending(int from, int to, GossipMessage message) {}

    private final GossipConfig config;
    private final RoundModel roundModel;
    private final SplittableRandom random;
    private final double messageLossRate;
    private final List<GossipProtocol> nodes = new ArrayList<>();
    private final List<Boolean> alive = new ArrayList<>();
    private final Map<PeerAddress, Integer> byAddress = new HashMap<>();
    private final Set<Long> cutLinks = new HashSet<>();
    private long nowMillis;
    private long rounds;
    private long messagesSent;
    private long messagesUndelivered;

    public SimCluster(GossipConfig config, long seed, double messageLossRate, RoundModel roundModel) {
        this.config = config;
        this.roundModel = roundModel;
        this.random = new SplittableRandom(seed);
        this.messageLossRate = messageLossRate;
    }

    /** The peer address node {@code index} listens on in the simulation. */
    public static PeerAddress address(int index) {
        return new PeerAddress("10." + (index >> 16 & 0xFF) + "." + (index >> 8 & 0xFF) + "." + (index & 0xFF), 7000);
    }

    public static NodeId nodeId(int index) {
        return new NodeId(String.format("n%04d", index));
    }

    /** Adds (starts) a node with generation 1 and {@code tokenCount} random tokens; returns its index. */
    public int addNode(int tokenCount) {
        int index = nodes.size();
        nodes.add(newProtocol(index, 1, tokenCount));
        alive.add(true);
        byAddress.put(address(index), index);
        return index;
    }

    private GossipProtocol newProtocol(int index, long generation, int tokenCount) {
        PeerAddress peer = address(index);
        NodeInfo info = NodeInfo.joining(peer, new PeerAddress(peer.host(), 8000))
                .withTokens(randomTokens(tokenCount));
        return new GossipProtocol(config, nodeId(index), generation, info);
    }

    private List<Token> randomTokens(int count) {
        java.util.TreeSet<Token> tokens = new java.util.TreeSet<>();
        while (tokens.size() < count) {
            tokens.add(new Token(random.nextLong(), random.nextLong()));
        }
        return List.copyOf(tokens);
    }

    /** Stops a node: it neither ticks nor answers. Its state is kept for a later restart. */
    public void kill(int index) {
        alive.set(index, false);
    }

    /** Restarts a killed node as a fresh process with a higher generation: it remembers nothing. */
    public void restart(int index, long generation) {
        GossipProtocol old = nodes.get(index);
        GossipProtocol fresh = new GossipProtocol(config, old.selfId(), generation, old.selfState().info());
        nodes.set(index, fresh);
        alive.set(index, true);
    }

    /** Drops every message between {@code a} and {@code b}, both ways. */
    public void cut(int a, int b) {
        cutLinks.add(linkKey(a, b));
    }

    public void heal(int a, int b) {
        cutLinks.remove(linkKey(a, b));
    }

    public void healAll() {
        cutLinks.clear();
    }

    private static long linkKey(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    /** One gossip round. */
    public void round() {
        rounds++;
        nowMillis += config.gossipIntervalMillis();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (alive.get(i)) {
                order.add(i);
            }
        }
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = order.get(i);
            order.set(i, order.get(j));
            order.set(j, swap);
        }
        if (roundModel == RoundModel.SEQUENTIAL) {
            for (int i : order) {
                for (Outbound out : nodes.get(i).tick(nowMillis, random)) {
                    Integer target = byAddress.get(out.target());
                    if (target != null) {
                        exchange(i, target, out.syn());
                    }
                }
            }
            return;
        }
        List<Pending> syns = new ArrayList<>();
        for (int i : order) {
            for (Outbound out : nodes.get(i).tick(nowMillis, random)) {
                Integer target = byAddress.get(out.target());
                if (target != null) {
                    syns.add(new Pending(i, target, out.syn()));
                }
            }
        }
        List<Pending> acks = new ArrayList<>();
        for (Pending p : syns) {
            if (deliverable(p.from(), p.to())) {
                acks.add(new Pending(p.to(), p.from(),
                        nodes.get(p.to()).onSyn((GossipMessage.Syn) p.message(), nowMillis)));
            }
        }
        List<Pending> ack2s = new ArrayList<>();
        for (Pending p : acks) {
            if (deliverable(p.from(), p.to())) {
                GossipMessage.Ack2 ack2 = nodes.get(p.to()).onAck((GossipMessage.Ack) p.message(), nowMillis);
                if (!ack2.updates().isEmpty()) {
                    ack2s.add(new Pending(p.to(), p.from(), ack2));
                }
            }
        }
        for (Pending p : ack2s) {
            if (deliverable(p.from(), p.to())) {
                nodes.get(p.to()).onAck2((GossipMessage.Ack2) p.message(), nowMillis);
            }
        }
    }

    private void exchange(int from, int to, GossipMessage.Syn syn) {
        if (!deliverable(from, to)) {
            return;
        }
        GossipMessage.Ack ack = nodes.get(to).onSyn(syn, nowMillis);
        if (!deliverable(to, from)) {
            return;
        }
        GossipMessage.Ack2 ack2 = nodes.get(from).onAck(ack, nowMillis);
        if (!ack2.updates().isEmpty() && deliverable(from, to)) {
            nodes.get(to).onAck2(ack2, nowMillis);
        }
    }

    private boolean deliverable(int from, int to) {
        messagesSent++;
        boolean ok = alive.get(to) && !cutLinks.contains(linkKey(from, to))
                && (messageLossRate == 0 || random.nextDouble() >= messageLossRate);
        if (!ok) {
            messagesUndelivered++;
        }
        return ok;
    }

    public int size() {
        return nodes.size();
    }

    public GossipProtocol node(int index) {
        return nodes.get(index);
    }

    public boolean isAlive(int index) {
        return alive.get(index);
    }

    public long nowMillis() {
        return nowMillis;
    }

    public long rounds() {
        return rounds;
    }

    public long messagesSent() {
        return messagesSent;
    }

    /** Messages to dead or cut-off nodes, or lost at random. */
    public long messagesUndelivered() {
        return messagesUndelivered;
    }

    public GossipConfig config() {
        return config;
    }
}
