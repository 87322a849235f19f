package io.ringkv.cluster.node;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.Gossiper;
import io.ringkv.cluster.membership.MembershipView;
import io.ringkv.cluster.membership.NodeId;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenAllocator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@link JoinRule} for a node that starts without tokens: once per check
 * interval it asks the rule; when the rule says go, it allocates tokens on the ring it knows,
 * makes them durable (the identity file, so a crash after announcing keeps them), and announces
 * them with status NORMAL in one gossip update. Deciding is the rule's; this only does.
 * All checks run on the gossip scheduler's thread.
 */
final class RingJoiner {
    private static final Logger log = LoggerFactory.getLogger(RingJoiner.class);

    private final Gossiper gossiper;
    private final Scheduler scheduler;
    private final JoinRule rule;
    private final TokenAllocator allocator;
    private final io.ringkv.core.ring.Member self;
    private final SeedSet seeds;
    /** A dead node whose tokens this node takes over instead of allocating its own. */
    private final Optional<NodeId> replaces;
    private final long checkIntervalMillis;
    private final Consumer<List<Token>> persistTokens;
    /** Null: a join is NORMAL at once. Else run before claiming tokens in a ring with data: the join then streams, JOINING. */
    private final Runnable beforeStreamingJoin;
    private long startedAtMillis;
    private JoinRule.Fingerprint lastFingerprint;
    private long stableSinceMillis;
    private String lastReason = "";
    private volatile boolean stopped;
    private volatile boolean joined;

    RingJoiner(Gossiper gossiper, Scheduler scheduler, JoinRule rule, TokenAllocator allocator,
               io.ringkv.core.ring.Member self, SeedSet seeds, long checkIntervalMillis,
               Consumer<List<Token>> persistTokens, Runnable beforeStreamingJoin, Optional<NodeId> replaces) {
        this.beforeStreamingJoin = beforeStreamingJoin;
        this.gossiper = Objects.requireNonNull(gossiper, "gossiper");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.self = Objects.requireNonNull(self, "self");
        this.seeds = Objects.requireNonNull(seeds, "seeds");
        this.replaces = Objects.requireNonNull(replaces, "replaces");
        this.checkIntervalMillis = checkIntervalMillis;
        this.persistTokens = Objects.requireNonNull(persistTokens, "persistTokens");
    }

    /** Starts checking, unless this node already has tokens (a restart keeps them). */
    void start() {
        if (!gossiper.membership().current().selfMember().tokens().isEmpty()) {
            joined = true;
            return;
        }
        startedAtMillis = scheduler.nowMillis();
        stableSinceMillis = startedAtMillis;
        log.info("node {} has no tokens yet: joining the ring ({})", self.nodeId(), replaces.map(d -> "replaces node " + d)
                .orElse(seeds.selfIsSeed() ? "a seed: may create the ring if none shows up" : "waits for the ring"));
        scheduler.schedule(0, this::check);
    }

    void stop() {
        stopped = true;
    }

    boolean joined() {
        return joined;
    }

    private void check() {
        if (stopped || joined) {
            return;
        }
        try {
            long now = scheduler.nowMillis();
            MembershipView view = gossiper.membership().current();
            JoinRule.Fingerprint fingerprint = JoinRule.fingerprint(view);
            if (!fingerprint.equals(lastFingerprint)) {
                lastFingerprint = fingerprint;
                stableSinceMillis = now;
            }
            JoinRule.Decision decision = replaces.isPresent()
                    ? rule.decideReplacement(view, replaces.get(), now - stableSinceMillis)
                    : rule.decide(view, seeds, now - startedAtMillis, now - stableSinceMillis);
            switch (decision) {
                case JoinRule.Wait wait -> noteWaiting(wait.reason());
                case JoinRule.Bootstrap b -> claim(increasing(allocator.tokensForJoin(Ring.empty(), self)),
                        "created the ring", false);
                case JoinRule.Allocate a -> claim(increasing(allocator.tokensForJoin(a.ring(), self)),
                        "joined a ring of " + a.ring().size() + " nodes", beforeStreamingJoin != null && !a.ring().isEmpty());
                case JoinRule.Replace r -> replace(r);
            }
        } catch (RuntimeException e) {
            log.error("node {}: join attempt failed; retrying", self.nodeId(), e);
        }
        if (!joined && !stopped) {
            scheduler.schedule(checkIntervalMillis, this::check);
        }
    }

    private void noteWaiting(String reason) {
        if (!reason.equals(lastReason)) {
            lastReason = reason;
            log.info("node {} waits to join: {}", self.nodeId(), reason);
        }
    }

    /**
     * Claims {@code tokens}. With {@code streams}, the node announces JOINING: it becomes NORMAL
     * once it has streamed its ranges (docs/design/membership.md); the change is recorded first,
     * so a crash in between resumes the join instead of serving without the data.
     */
    private void claim(List<Token> tokens, String what, boolean streams) {
        if (streams) {
            beforeStreamingJoin.run();
        }
        persistTokens.accept(tokens);
        AnnouncedStatus status = streams ? AnnouncedStatus.JOINING : AnnouncedStatus.NORMAL;
        gossiper.updateLocalInfo(info -> info.withTokens(tokens).withStatus(status));
        joined = true;
        log.info("node {} {}: claimed {} tokens, status {}", self.nodeId(), what, tokens.size(), status);
    }

    /**
     * Takes over a dead node's tokens: first announces it LEFT on its behalf (as removenode does),
     * so that no view holds its claim and this one together for long, then claims its tokens and
     * streams its ranges like any join. A crash after the first step finds the dead node LEFT
     * with its tokens on restart and goes on from there.
     */
    private void replace(JoinRule.Replace r) {
        if (!r.alreadyLeft()) {
            gossiper.announceRemoved(r.deadNode());
        }
        claim(increasing(r.tokens()), "replaces node " + r.deadNode(), beforeStreamingJoin != null);
    }

    /** Gossip and the identity file want tokens strictly increasing; the allocator returns them in pick order. */
    private static List<Token> increasing(List<Token> tokens) {
        return List.copyOf(new TreeSet<>(tokens));
    }
}
