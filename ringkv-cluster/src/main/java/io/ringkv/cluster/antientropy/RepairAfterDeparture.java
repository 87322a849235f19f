package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.MembershipEvent;
import io.ringkv.cluster.membership.MembershipHolder;
import io.ringkv.cluster.time.Scheduler;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When another node turns LEFT (a decommission, or removenode of a dead node), its ranges now
 * belong to the next nodes of the ring. A decommission handed its data over already; a removed
 * node could not, so the nodes that gained its ranges hold nothing for them. Every node therefore
 * starts a repair of all its ranges once the change has spread by gossip: equal ranges cost their
 * roots (46 bytes per range and peer), and a node that gained a range fills it from the surviving
 * replicas (docs/design/membership.md, "Removing a dead node").
 */
public final class RepairAfterDeparture {
    private static final Logger log = LoggerFactory.getLogger(RepairAfterDeparture.class);

    private final AntiEntropy antiEntropy;
    private final Scheduler scheduler;
    private final long settleMillis;

    private RepairAfterDeparture(AntiEntropy antiEntropy, Scheduler scheduler, long settleMillis) {
        this.antiEntropy = antiEntropy;
        this.scheduler = scheduler;
        this.settleMillis = settleMillis;
    }

    /** Subscribes to {@code holder}: a repair {@code settleMillis} after each departure seen. */
    public static void watch(MembershipHolder holder, AntiEntropy antiEntropy, Scheduler scheduler, long settleMillis) {
        RepairAfterDeparture watcher = new RepairAfterDeparture(antiEntropy, scheduler, settleMillis);
        holder.subscribe((previous, current, events) -> {
            for (MembershipEvent event : events) {
                if (event instanceof MembershipEvent.StatusChanged changed && changed.member().status() == AnnouncedStatus.LEFT
                        && !changed.member().tokens().isEmpty()) {
                    watcher.departed(changed.member().id().value());
                }
            }
        });
    }

    /** At most this many tries to start a repair, one settle apart, while earlier runs are still going. */
    private static final int MAX_TRIES = 1_000;

    private void departed(String nodeId) {
        log.info("anti-entropy: node {} left the ring; repairing this node's ranges in {} ms", nodeId, settleMillis);
        later(scheduler.nowNanos(), 0);
    }

    private void later(long departedAtNanos, int tries) {
        try {
            scheduler.schedule(settleMillis, () -> repair(departedAtNanos, tries));
        } catch (RejectedExecutionException closing) {
            // the node is closing
        }
    }

    /** Starts a repair; if one started before the departure is still running (it planned with the old ring), tries again later. */
    private void repair(long departedAtNanos, int tries) {
        try {
            long before = scheduler.nowNanos();
            var progress = antiEntropy.startRepair(Optional.empty());
            boolean older = progress.elapsedMillis() * 1_000_000 > before - departedAtNanos;
            if (older && tries < MAX_TRIES) {
                later(departedAtNanos, tries + 1);
            }
        } catch (IllegalStateException stopped) {
            // anti-entropy is stopped: the node is closing
        }
    }
}
