package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvException;
import io.ringkv.cluster.time.Scheduler;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Counts replica answers towards a quorum (Dynamo §4.5: R or W of N; or a majority per data
 * center, {@link QuorumRule}) and decides the outcome: every scope's required successes, or every
 * counted answer in without reaching them, or the deadline. Answers may arrive on any thread;
 * nothing here blocks, the outcome is a future. Answers from nodes that count in no scope (a
 * remote data center's replicas under a local quorum) are ignored.
 *
 * <p>Success is decided the moment the quorum is reached, with the count at that moment (a put
 * answers with W acknowledgements though later ones keep arriving in the background). Failure
 * waits for the answers still outstanding, within the deadline, even when the quorum is already
 * out of reach: the client is told how many replicas did acknowledge, and a write that landed on
 * some replicas says so. This costs nothing when the missing replicas are refused at once, and
 * at most the deadline when they are silent, which the failure would have waited for anyway.
 */
final class QuorumWaiter {

    /**
     * The outcome: whether the quorum was met, and how many counted answers were successes when
     * it was decided, {@code hints} of them hints stored by fallbacks for replicas (a sloppy
     * quorum's), and the successes per scope ({@link QuorumRule#ANY} alone for a count).
     */
    record Tally(boolean met, int successes, int hints, Map<String, Integer> successesByScope) {
        Tally {
            successesByScope = Map.copyOf(successesByScope);
        }

        /** A count quorum's tally. */
        Tally(boolean met, int successes, int hints) {
            this(met, successes, hints, Map.of(QuorumRule.ANY, successes));
        }
    }

    /** One scope's counts. */
    private static final class Count {
        int successes;
        int hints;
        int outstanding;
    }

    private final QuorumRule rule;
    private final Map<String, Count> counts = new HashMap<>();
    private final CompletableFuture<Tally> decided = new CompletableFuture<>();

    /**
     * @param rule       which answers count, and how many each scope needs
     * @param answerers  the nodes whose answers will come, each reported once as a success or a failure
     */
    QuorumWaiter(QuorumRule rule, Collection<String> answerers) {
        this.rule = rule;
        rule.required().keySet().forEach(scope -> counts.put(scope, new Count()));
        for (String node : answerers) {
            Count c = countOf(rule.scopeOf(node));
            if (c != null) {
                c.outstanding++;
            }
        }
        synchronized (this) {
            decideIfKnown();
        }
    }

    /** A count quorum of {@code required} among {@code expected} anonymous answers: for tests of the counting itself. */
    static QuorumWaiter count(int required, int expected) {
        return new QuorumWaiter(QuorumRule.count(required), java.util.Collections.nCopies(expected, "any"));
    }

    QuorumRule rule() {
        return rule;
    }

    synchronized void succeeded(String node) {
        Count c = countOf(rule.scopeOf(node));
        if (c != null) {
            c.successes++;
            c.outstanding--;
            decideIfKnown();
        }
    }

    synchronized void failed(String node) {
        Count c = countOf(rule.scopeOf(node));
        if (c != null) {
            c.outstanding--;
            decideIfKnown();
        }
    }

    /**
     * One more answer will come: a hint sent to {@code holder} for {@code target}, a replica that
     * failed or is silent. Call it before reporting the failure that caused it, so the waiter
     * never decides in between.
     */
    synchronized void expectHint(String holder, String target) {
        Count c = countOf(rule.scopeOfHint(holder, target));
        if (c != null) {
            c.outstanding++;
        }
    }

    /** {@code holder} stored a hint for {@code target} durably: a success under a sloppy quorum, where it counts. */
    synchronized void hintStored(String holder, String target) {
        Count c = countOf(rule.scopeOfHint(holder, target));
        if (c != null) {
            c.successes++;
            c.hints++;
            c.outstanding--;
            decideIfKnown();
        }
    }

    synchronized void hintFailed(String holder, String target) {
        Count c = countOf(rule.scopeOfHint(holder, target));
        if (c != null) {
            c.outstanding--;
            decideIfKnown();
        }
    }

    /** A replica said the request itself is wrong: no point waiting for the others. */
    void reject(KvException reason) {
        decided.completeExceptionally(reason);
    }

    private Count countOf(String scope) {
        return scope == null ? null : counts.get(scope);
    }

    /** Called holding this. */
    private void decideIfKnown() {
        boolean met = true;
        int outstanding = 0;
        for (Map.Entry<String, Integer> e : rule.required().entrySet()) {
            Count c = counts.get(e.getKey());
            met &= c.successes >= e.getValue();
            outstanding += c.outstanding;
        }
        if (met || outstanding <= 0) {
            decided.complete(tally(met));
        }
    }

    /** Called holding this. */
    private Tally tally(boolean met) {
        int successes = 0;
        int hints = 0;
        Map<String, Integer> byScope = new HashMap<>();
        for (Map.Entry<String, Count> e : counts.entrySet()) {
            successes += e.getValue().successes;
            hints += e.getValue().hints;
            byScope.put(e.getKey(), e.getValue().successes);
        }
        return new Tally(met, successes, hints, byScope);
    }

    boolean isDecided() {
        return decided.isDone();
    }

    /**
     * The outcome, decided by {@code deadline} at the latest: then it is the count so far, not
     * met. Completes exceptionally with a {@link #reject} reason. Call once per waiter: the
     * deadline's timer runs on {@code timer} and is cancelled as soon as the outcome is known.
     */
    CompletableFuture<Tally> outcome(Deadline deadline, Scheduler timer) {
        if (!decided.isDone()) {
            try {
                Scheduler.Scheduled atDeadline = timer.schedule(deadline.remainingMillis(), this::timedOut);
                decided.whenComplete((tally, failure) -> atDeadline.cancel());
            } catch (RejectedExecutionException closing) {
                // The node is closing and its timer with it. Every answer still comes: replicas'
                // requests carry their own deadline, and the transport fails them when it closes.
            }
        }
        return decided;
    }

    private synchronized void timedOut() {
        decided.complete(tally(false));
    }
}
