package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.service.ReadResults;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.core.ring.PreferenceList;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Siblings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Coordinates a get on this node (Dynamo §4.5, "get()"; any node may coordinate a read), in
 * named steps: <b>fan out</b> to R replicas in {@link ReadOrder} (all N when configured to),
 * replacing each that fails with the next; <b>speculate</b>: if R have not answered after the
 * speculative-retry delay, ask one more; <b>await R</b> answers or the deadline; <b>reconcile</b>
 * the answers by version ({@link VersionMerge}) into the client's siblings and one context; and
 * hand everything that arrives until the deadline to <b>read repair</b> in the background.
 *
 * <p>Nothing blocks: the steps run on the caller's thread (the HTTP event loop) up to the sends,
 * and the rest where the deciding answer arrives (usually the transport's event loop). Only a
 * local read that needs the disk goes to the executor for blocking work.
 *
 * <p>A local storage failure counts as one replica not answering, so other replicas can still
 * make the quorum; if the quorum then fails, the local failure is what the client hears about,
 * because it is the more useful diagnosis.
 */
final class ReadCoordinator {
    private final String localNodeId;
    private final GuardedStore store;
    private final Peers peers;
    private final Predicate<String> isUp;
    private final ConflictPolicy policy;
    private final ContextCodec contexts;
    private final boolean readFromAll;
    private final long speculativeRetryMillis;
    private final ReadRepair readRepair;
    private final Executor background;
    private final Scheduler timer;
    private final RandomGenerator random;
    private final boolean readFallbacks;
    private final LocalHints localHints;
    private static final int MAX_FALLBACKS = 16;

    /**
     * {@code readRepair} null: no read repair. {@code background} runs blocking work (disk reads,
     * repairs); {@code timer} the speculative retries and deadlines; {@code random} the order replicas are asked in.
     */
    ReadCoordinator(String localNodeId, GuardedStore store, Peers peers, Predicate<String> isUp, CoordinatorConfig config,
                    ReadRepair readRepair, Executor background, Scheduler timer, RandomGenerator random,
                    LocalHints localHints) {
        this.random = random;
        this.readFallbacks = config.handoff().readFallbacks();
        this.localHints = localHints;
        this.localNodeId = localNodeId;
        this.store = store;
        this.peers = peers;
        this.isUp = isUp;
        this.policy = config.conflictPolicy();
        this.contexts = config.contexts();
        this.readFromAll = config.readFromAll();
        this.speculativeRetryMillis = config.speculativeRetryMillis();
        this.readRepair = readRepair;
        this.background = background;
        this.timer = timer;
    }

    /**
     * Reads {@code key} from its replicas in {@code preferences} until {@code level} is met; with
     * {@code sloppy}, and fallback reads configured, fallbacks that may hold hints for unreachable
     * replicas are asked when replicas fail. Under a quorum per data center only replicas whose
     * answers count are asked (a local quorum asks this data center's alone), and fallbacks only
     * in the data center of a replica they stand in for; an each-data-center quorum asks every
     * replica at once, as {@code readFromAll} does.
     */
    CompletableFuture<GetResult> coordinate(byte[] key, QuorumLevel level, PreferenceList preferences,
                                            Function<String, String> dataCenterOf, boolean sloppy, Deadline deadline) {
        QuorumRule rule = level.over(preferences.replicas(), dataCenterOf);
        boolean perDataCenter = level.consistency().perDataCenter();
        List<String> replicas = perDataCenter
                ? preferences.replicas().stream().filter(r -> rule.scopeOf(r) != null).toList()
                : preferences.replicas();
        ReadFanout.FallbackReads fallbacks = sloppy && readFallbacks
                ? fallbackReads(key, replicas, preferences, dataCenterOf, perDataCenter) : ReadFanout.FallbackReads.NONE;
        List<String> order = ReadOrder.of(replicas, localNodeId, isUp, random, List.copyOf(fallbacks.nodes()));
        QuorumWaiter waiter = new QuorumWaiter(rule, order);
        int required = rule.required().values().stream().mapToInt(Integer::intValue).sum();
        boolean askAll = readFromAll || level.consistency() == Consistency.EACH_QUORUM;
        int initial = Math.min(order.size(), askAll ? replicas.size() : required);
        ReadFanout fanout = ReadFanout.start(key, order, initial, localNodeId, store, background, peers, deadline, waiter,
                fallbacks);
        CompletableFuture<QuorumWaiter.Tally> outcome = waiter.outcome(deadline, timer);
        if (speculativeRetryMillis > 0 && initial < order.size() && !waiter.isDecided()
                && TimeUnit.MILLISECONDS.toNanos(speculativeRetryMillis) < deadline.remainingNanos()) {
            scheduleSpeculativeRetry(fanout, outcome);
        }
        return outcome.handle((tally, failure) -> {
            fanout.close();
            if (failure != null) {
                throw new CompletionException(KvService.unwrap(failure));
            }
            if (!tally.met()) {
                if (fanout.localFailure() != null) {
                    throw fanout.localFailure();
                }
                throw rule.notMet(Op.GET.label, tally.successesByScope());
            }
            Siblings merged = VersionMerge.of(fanout.allAnswers(), policy);
            if (readRepair != null) {
                scheduleRepair(key, fanout);
            }
            return ReadResults.of(merged, policy, contexts);
        });
    }

    /**
     * One reachable fallback per unreachable replica (none when all are reachable), in the
     * replica's data center, or, unless the quorum is counted per data center, elsewhere when it
     * has none; this node's own hints read directly when it is one of them.
     */
    private ReadFanout.FallbackReads fallbackReads(byte[] key, List<String> replicas, PreferenceList preferences,
                                                   Function<String, String> dataCenterOf, boolean perDataCenter) {
        List<String> unreachable = ReadOrder.unreachable(replicas, localNodeId, isUp);
        if (unreachable.isEmpty()) {
            return ReadFanout.FallbackReads.NONE;
        }
        List<String> candidates = preferences.fallbacks(MAX_FALLBACKS).stream()
                .filter(c -> c.equals(localNodeId) ? localHints != null : isUp.test(c))
                .toList();
        Set<String> nodes = new LinkedHashSet<>();
        for (String replica : unreachable) {
            String dataCenter = dataCenterOf.apply(replica);
            candidates.stream().filter(c -> !nodes.contains(c) && Objects.equals(dataCenter, dataCenterOf.apply(c)))
                    .findFirst()
                    .or(() -> perDataCenter ? Optional.empty() : candidates.stream().filter(c -> !nodes.contains(c)).findFirst())
                    .ifPresent(nodes::add);
        }
        Supplier<Siblings> ownHints = localHints == null ? null : () -> {
            Siblings held = Siblings.EMPTY;
            for (String target : unreachable) {
                held = VersionMerge.of(List.of(held, localHints.store().get(target, key).orElse(Siblings.EMPTY)), policy);
            }
            return held;
        };
        return new ReadFanout.FallbackReads(nodes, HintMessages.hintRead(key, unreachable), ownHints);
    }

    private void scheduleSpeculativeRetry(ReadFanout fanout, CompletableFuture<QuorumWaiter.Tally> outcome) {
        try {
            Scheduler.Scheduled retry = timer.schedule(speculativeRetryMillis, fanout::askOneMore);
            outcome.whenComplete((tally, failure) -> retry.cancel());
        } catch (RejectedExecutionException closing) {
            // the node is closing: no retry, the replicas asked still answer or time out
        }
    }

    private void scheduleRepair(byte[] key, ReadFanout fanout) {
        // settled() completes on a transport thread: only compare there, any repair goes to the background
        fanout.settled().thenRun(() -> {
            try {
                readRepair.repairIfStale(key, fanout.answers(), background);
            } catch (RejectedExecutionException e) {
                // the node is closing: skip the repair, a later read will do it
            }
        });
    }
}
