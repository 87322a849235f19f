package io.ringkv.core.ring.sim;

import io.ringkv.core.ring.BalancedTokenAllocator;
import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.Ownership;
import io.ringkv.core.ring.RandomTokenAllocator;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.TokenAllocator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Builds rings in process, one join at a time, and measures what the ring design promises:
 * balanced ownership (max/mean share per weight unit) and minimal movement (the share of the
 * ring whose primary owner changes when one node joins, and when the most loaded node leaves,
 * against the ideal: the joiner's or leaver's fair share). Movement is measured in ring space,
 * exactly, not by sampling keys. Replica columns (N replicas, rack-aware when there are several
 * racks) are informational. Targets: max/mean <= {@value #MAX_OVER_MEAN_TARGET} before and after, moved
 * <= {@value #MOVED_OVER_IDEAL_TARGET} x ideal.
 *
 * <p>Wired to {@code bin/ringkv sim ring}; {@link #main} is for development.
 */
public final class RingSimulation {
    public static final double MAX_OVER_MEAN_TARGET = 1.10;
    public static final double MOVED_OVER_IDEAL_TARGET = 1.10;

    private RingSimulation() {
    }

    /** One measured cluster size. */
    public record Row(int nodes, int vnodes, double maxOverMean, double joinMoved, double joinIdeal,
            double maxOverMeanAfterJoin, double leaveMoved, double leaveIdeal, double maxOverMeanAfterLeave,
            double replicatedMaxOverMean, double replicaJoinMoved) {

        public double joinRatio() {
            return joinMoved / joinIdeal;
        }

        public double leaveRatio() {
            return leaveMoved / leaveIdeal;
        }

        public boolean passes() {
            return maxOverMean <= MAX_OVER_MEAN_TARGET && maxOverMeanAfterJoin <= MAX_OVER_MEAN_TARGET
                    && maxOverMeanAfterLeave <= MAX_OVER_MEAN_TARGET
                    && joinRatio() <= MOVED_OVER_IDEAL_TARGET && leaveRatio() <= MOVED_OVER_IDEAL_TARGET;
        }
    }

    /** Runs the simulation, prints a table, and returns 0 when every row passes, 1 otherwise. */
    public static int run(PrintStream out, SimRingParams params) {
        out.printf(Locale.ROOT, "ring simulation: allocation=%s vnodes/weight=%d weights=%s replicas=%d racks=%d seed=%d%n",
                params.allocation().name().toLowerCase(Locale.ROOT), params.vnodesPerWeightUnit(),
                params.weights().name().toLowerCase(Locale.ROOT), params.replicas(), params.racks(), params.seed());
        out.println("moved = share of ring space whose primary owner changes; ideal = the joiner's / leaver's fair share;");
        out.println("leave = the most loaded node leaves; repl.m/m and replMoved (replica data moved on join) are informational");
        out.printf(Locale.ROOT, "%6s %8s %9s | %9s %9s %6s %9s | %9s %9s %6s %9s | %9s %9s | %s%n",
                "nodes", "vnodes", "max/mean", "joinMoved", "ideal", "ratio", "max/mean", "leaveMoved", "ideal", "ratio",
                "max/mean", "repl.m/m", "replMoved", "result");
        long started = System.nanoTime();
        boolean allPass = true;
        for (Row row : measure(params)) {
            allPass &= row.passes();
            out.printf(Locale.ROOT, "%6d %8d %9.4f | %9.6f %9.6f %6.3f %9.4f | %9.6f %9.6f %6.3f %9.4f | %9.4f %9.6f | %s%n",
                    row.nodes(), row.vnodes(), row.maxOverMean(),
                    row.joinMoved(), row.joinIdeal(), row.joinRatio(), row.maxOverMeanAfterJoin(),
                    row.leaveMoved(), row.leaveIdeal(), row.leaveRatio(), row.maxOverMeanAfterLeave(),
                    row.replicatedMaxOverMean(), row.replicaJoinMoved(),
                    row.passes() ? "PASS" : "FAIL");
        }
        out.printf(Locale.ROOT, "%s (targets: max/mean <= %.2f, moved <= %.2f x ideal) in %d ms%n",
                allPass ? "PASS" : "FAIL", MAX_OVER_MEAN_TARGET, MOVED_OVER_IDEAL_TARGET, (System.nanoTime() - started) / 1_000_000);
        return allPass ? 0 : 1;
    }

    /** Measures every requested cluster size, growing one ring through all of them. */
    public static List<Row> measure(SimRingParams params) {
        TokenAllocator allocator = switch (params.allocation()) {
            case BALANCED -> new BalancedTokenAllocator(params.vnodesPerWeightUnit());
            case RANDOM -> new RandomTokenAllocator(params.vnodesPerWeightUnit(), params.seed());
        };
        ReplicationStrategy replication = ReplicationStrategy.simple(params.replicas());
        List<Row> rows = new ArrayList<>();
        Ring ring = Ring.empty();
        int joined = 0;
        for (int n : new TreeSet<>(params.nodeCounts())) {
            while (joined < n) {
                ring = allocator.join(ring, member(++joined, params));
            }
            Member next = member(joined + 1, params);
            rows.add(measureOne(ring, next, allocator, replication));
        }
        return rows;
    }

    private static Row measureOne(Ring ring, Member next, TokenAllocator allocator, ReplicationStrategy replication) {
        Map<String, Double> shares = Ownership.primary(ring);
        double totalWeight = ring.members().stream().mapToDouble(Member::weight).sum();

        Ring joinedRing = allocator.join(ring, next);
        double joinMoved = Ownership.primaryMoved(ring, joinedRing);
        double joinIdeal = next.weight() / (totalWeight + next.weight());

        Member mostLoaded = ring.members().get(0);
        for (Member m : ring.members()) {
            if (shares.get(m.nodeId()) / m.weight() > shares.get(mostLoaded.nodeId()) / mostLoaded.weight()) {
                mostLoaded = m;
            }
        }
        double leaveMoved;
        double leaveIdeal;
        double afterLeave;
        if (ring.size() > 1) {
            Ring left = allocator.leave(ring, mostLoaded.nodeId());
            leaveMoved = Ownership.primaryMoved(ring, left);
            leaveIdeal = mostLoaded.weight() / totalWeight;
            afterLeave = Ownership.maxOverMean(left, Ownership.primary(left));
        } else {
            leaveMoved = 1;
            leaveIdeal = 1;
            afterLeave = 1;
        }
        return new Row(ring.size(), ring.tokenCount(), Ownership.maxOverMean(ring, shares),
                joinMoved, joinIdeal, Ownership.maxOverMean(joinedRing, Ownership.primary(joinedRing)),
                leaveMoved, leaveIdeal, afterLeave,
                Ownership.maxOverMean(ring, Ownership.replicated(ring, replication)),
                Ownership.replicasMoved(ring, joinedRing, replication));
    }

    /** Node i's weight depends only on the seed and i, so every cluster size sees the same nodes. */
    private static Member member(int i, SimRingParams params) {
        double weight = switch (params.weights()) {
            case UNIFORM -> 1.0;
            case MIXED -> new double[] {0.5, 1.0, 2.0}[new SplittableRandom(params.seed() * 1_000_003 + i).nextInt(3)];
        };
        return new Member(String.format(Locale.ROOT, "node-%05d", i), "dc1", "rack" + (i % params.racks()), weight);
    }

    /** Development entry point: {@code [balanced|random] [uniform|mixed] [racks=R] [vnodes] [n1,n2,...]}. */
    public static void main(String[] args) {
        SimRingParams p = SimRingParams.defaults();
        for (String a : args) {
            switch (a.toLowerCase(Locale.ROOT)) {
                case "balanced" -> p = p.withAllocation(SimRingParams.Allocation.BALANCED);
                case "random" -> p = p.withAllocation(SimRingParams.Allocation.RANDOM);
                case "uniform" -> p = p.withWeights(SimRingParams.WeightMix.UNIFORM);
                case "mixed" -> p = p.withWeights(SimRingParams.WeightMix.MIXED);
                default -> {
                    if (a.startsWith("racks=")) {
                        p = p.withRacks(Integer.parseInt(a.substring("racks=".length())));
                    } else if (a.contains(",")) {
                        p = p.withNodeCounts(java.util.Arrays.stream(a.split(",")).map(Integer::parseInt).toList());
                    } else {
                        p = p.withVnodes(Integer.parseInt(a));
                    }
                }
            }
        }
        System.exit(run(System.out, p));
    }
}
