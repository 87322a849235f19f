package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvException;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.NotReadyException;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.transport.NotDeliveredException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a put or delete from a node outside the key's replicas to one inside it, which then
 * coordinates (Dynamo §4.5: a write is coordinated by one of the top N nodes of the preference
 * list; a node that receives it otherwise forwards it). One hop only: the receiver coordinates
 * unconditionally, whatever its own view of the ring says, so two nodes with different views
 * can never bounce a request between them.
 *
 * <p>Replicas are tried in preference-list order, those the failure detector believes up first,
 * then the others (a DOWN belief may be stale). The next one is tried only when the request
 * certainly never reached a replica's handler ({@link NotDeliveredException}: refused, no
 * connection, overloaded). Anything else is final: an answer, success or typed error (quorum not
 * met, invalid request, storage failure), and also no answer at all - a timeout or a connection
 * lost after sending - because that replica may have coordinated the write, and a second replica
 * coordinating it too would store two versions of one client write, a false sibling (the cluster
 * simulation's seed 933, docs/testing.md). The client then gets "quorum not met" with the write's
 * outcome unknown, as when a coordinator's own replicas do not answer. The receiver is given
 * slightly less than the time left ({@link #receiverBudgetMillis}) so that its own "quorum not
 * met" travels back in time.
 *
 * <p>Under a sloppy quorum only replicas that are reachable ({@link Peers#reachable}: believed up
 * and not silent) are tried, and when none is left, or none could be delivered to, the caller
 * coordinates the write itself with hints (docs/design/hinted-handoff.md); a request that may
 * have reached a replica is still final, so no write is ever coordinated twice.
 *
 * <p>A replica that timed out may have been paused, not dead, and read the request later, after
 * the client was told the write failed. So each attempt carries a wall-clock "not after" time,
 * the end of the receiver's budget, and the receiver refuses a request read after it.
 */
final class Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    /** Most of the return margin kept for the answer's trip back. */
    static final long MAX_RETURN_MARGIN_MILLIS = 100;

    private final Peers peers;
    private final Predicate<String> believedUp;
    private final CoordinatorListener listener;
    private final Clock clock;

    Forwarder(Peers peers, Predicate<String> believedUp, CoordinatorListener listener, Clock clock) {
        this.peers = peers;
        this.believedUp = believedUp;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Forwards {@code request} to one of {@code replicas}, tried in the order given (the caller
     * puts those of this node's data center first). With {@code coordinateHere} (a sloppy
     * quorum), replicas that are down or silent are not tried, and when none is left, or none
     * could be delivered to, this node coordinates the write itself with hints for them.
     * {@code rule} is the request's quorum over the key's replicas: what a failure reports.
     */
    CompletableFuture<PutResult> forward(WriteRequest request, List<String> replicas, QuorumRule rule, Deadline deadline,
                                         Supplier<CompletableFuture<PutResult>> coordinateHere) {
        CompletableFuture<PutResult> result = new CompletableFuture<>();
        List<String> candidates = coordinateHere == null ? candidates(replicas) : replicas.stream().filter(believedUp).toList();
        attempt(request, rule, candidates, 0, deadline, result, coordinateHere);
        return result;
    }

    /** Sends to candidate {@code i}; on no answer, moves on to the next from the thread that saw the failure. */
    private void attempt(WriteRequest request, QuorumRule rule, List<String> candidates, int i, Deadline deadline,
                         CompletableFuture<PutResult> result, Supplier<CompletableFuture<PutResult>> coordinateHere) {
        if (i == candidates.size() && coordinateHere != null && deadline.remainingMillis() > 0) {
            listener.onCoordinatedForUnreachableReplicas(request.op().label);
            Futures.calling(coordinateHere).whenComplete((written, failure) -> {
                if (failure == null) {
                    result.complete(written);
                } else {
                    result.completeExceptionally(KvService.unwrap(failure));
                }
            });
            return;
        }
        long attemptMillis = i < candidates.size() ? deadline.remainingMillis() : 0;
        if (attemptMillis <= 0) {
            result.completeExceptionally(rule.noneAcknowledged(request.op().label));
            return;
        }
        String target = candidates.get(i);
        long receiverBudget = receiverBudgetMillis(attemptMillis);
        byte[] payload = ForwardMessages.request(request.withTimeoutMillis(receiverBudget), clock.millis() + receiverBudget);
        listener.onForwarded(request.op().label, target);
        peers.request(target, MessageTypes.COORDINATE_WRITE, payload, deadline.afterMillis(attemptMillis))
                .whenComplete((reply, failure) -> {
                    if (failure == null) {
                        try {
                            result.complete(ForwardMessages.decodeReply(reply));
                        } catch (NotReadyException e) {
                            attempt(request, rule, candidates, i + 1, deadline, result, coordinateHere); // it applied nothing: as if never delivered
                        } catch (KvException e) {
                            result.completeExceptionally(e); // the receiver coordinated and answered with an error: final
                        } catch (MalformedMessageException e) {
                            unknownOutcome(request, rule, target, e, result); // it answered: it may have coordinated
                        }
                        return;
                    }
                    if (KvService.unwrap(failure) instanceof NotDeliveredException) {
                        LOG.debug("forwarding a {} to {} failed before it arrived, trying the next replica: {}",
                                request.op().label, target, failure.toString());
                        attempt(request, rule, candidates, i + 1, deadline, result, coordinateHere);
                    } else {
                        unknownOutcome(request, rule, target, failure, result);
                    }
                });
    }

    /** No answer from a replica that may have coordinated the write: the outcome is unknown, and final. */
    private static void unknownOutcome(WriteRequest request, QuorumRule rule, String target, Throwable failure,
                                       CompletableFuture<PutResult> result) {
        LOG.debug("forwarding a {} to {} got no answer ({}); not trying another replica, which could apply it a second time",
                request.op().label, target, failure.toString());
        result.completeExceptionally(rule.noneAcknowledged(request.op().label));
    }

    /** Replicas believed up, in preference order, then the rest. */
    private List<String> candidates(List<String> replicas) {
        List<String> ordered = new ArrayList<>(replicas.size());
        replicas.stream().filter(believedUp).forEach(ordered::add);
        replicas.stream().filter(believedUp.negate()).forEach(ordered::add);
        return ordered;
    }

    /** The receiver's own deadline: the attempt's time minus a margin (a tenth, at most 100 ms) for the reply. */
    static long receiverBudgetMillis(long remainingMillis) {
        return Math.max(1, remainingMillis - Math.min(MAX_RETURN_MARGIN_MILLIS, remainingMillis / 10));
    }
}
