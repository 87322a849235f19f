package io.ringkv.cluster.membership.sim;

import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.NodeId;
import io.ringkv.cluster.membership.Suspicion;
import io.ringkv.cluster.transport.PeerAddress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures how many gossip rounds membership news takes to reach everyone, for n nodes driven
 * in one thread by {@link SimCluster} (deterministic: same parameters, same figures). For each
 * cluster size and trial:
 *
 * <ol>
 *   <li>bootstrap: n nodes start knowing only the seeds' addresses; rounds until all know all;
 *   <li>join: one more node starts; rounds until every node has it in its list;
 *   <li>failure: a random non-seed node stops; rounds until the first node suspects it, and
 *       until every live node considers it DOWN (two sources agree).
 * </ol>
 *
 * Epidemic theory (Demers et al. 1987; Karp et al., "Randomized Rumor Spreading", 2000) says
 * push-pull spreading finishes in O(log n) rounds; the output sets each figure against log2(n).
 * DOWN cannot come before suspectAfterRounds, so "down - suspect" is the part that should grow
 * like log n. Results and their reading are in docs/design/gossip.md.
 */
public final class GossipSimulation {
    private static final long INTERVAL_MILLIS = 1_000;

    private GossipSimulation() {}

    /** One trial's figures, in rounds; -1 where the phase did not finish within maxRounds. */
    public record TrialResult(int clusterSize, int bootstrapRounds, int joinRounds, int firstSuspicionRounds,
                              int allDownRounds, long falseSuspicions, long falseDowns) {}

    /** Prints the figures for every size in {@code params}; returns 0, or 1 if a phase never finished. */
    public static int run(PrintStream out, GossipSimParams params) {
        out.printf(Locale.ROOT, "gossip simulation: %s rounds, fanout %d, suspect after %d rounds, %d seeds, "
                        + "%d tokens/node, message loss %.1f%%, %d trials, seed %d%n",
                params.roundModel().name().toLowerCase(Locale.ROOT), params.fanout(), params.suspectAfterRounds(),
                params.seedNodes(), params.tokensPerNode(), params.messageLossRate() * 100, params.trials(),
                params.seed());
        out.println("(rounds; a round is one gossipIntervalMillis; 'down-suspect' = all DOWN minus first suspicion;");
        out.println(" false-suspicions / false-downs: node-rounds in which a live node suspected / saw DOWN a live node)");
        boolean allFinished = true;
        for (int n : params.clusterSizes()) {
            out.println();
            out.printf(Locale.ROOT, "n = %d   log2(n) = %.2f%n", n, log2(n));
            out.println("trial  bootstrap  join  first-suspect  all-down  down-suspect  false-suspicions  false-downs");
            List<TrialResult> results = new ArrayList<>();
            for (int trial = 0; trial < params.trials(); trial++) {
                TrialResult r = runTrial(params, n, trialSeed(params.seed(), n, trial));
                results.add(r);
                out.printf(Locale.ROOT, "%5d  %9s  %4s  %13s  %8s  %12s  %16d  %11d%n", trial + 1,
                        fmt(r.bootstrapRounds()), fmt(r.joinRounds()), fmt(r.firstSuspicionRounds()),
                        fmt(r.allDownRounds()), fmt(downAfterSuspect(r)), r.falseSuspicions(), r.falseDowns());
                out.flush();
            }
            allFinished &= printSummary(out, params, n, results);
        }
        return allFinished ? 0 : 1;
    }

    /** The trials for one cluster size, without printing. */
    public static List<TrialResult> measure(GossipSimParams params, int clusterSize) {
        List<TrialResult> results = new ArrayList<>();
        for (int trial = 0; trial < params.trials(); trial++) {
            results.add(runTrial(params, clusterSize, trialSeed(params.seed(), clusterSize, trial)));
        }
        return results;
    }

    private static long trialSeed(long seed, int n, int trial) {
        return new SplittableRandom(seed ^ (31L * n + trial) * 0x9E3779B97F4A7C15L).nextLong();
    }

    static GossipConfig configFor(GossipSimParams params) {
        List<PeerAddress> seeds = new ArrayList<>();
        for (int i = 0; i < params.seedNodes(); i++) {
            seeds.add(SimCluster.address(i));
        }
        return GossipConfig.builder()
                .seeds(seeds)
                .gossipIntervalMillis(INTERVAL_MILLIS)
                .gossipTimeoutMillis(INTERVAL_MILLIS)
                .gossipFanout(params.fanout())
                .suspectAfterMillis(params.suspectAfterRounds() * INTERVAL_MILLIS)
                .build();
    }

    static TrialResult runTrial(GossipSimParams params, int n, long seed) {
        SimCluster cluster = new SimCluster(configFor(params), seed, params.messageLossRate(), params.roundModel());
        SplittableRandom choices = new SplittableRandom(seed + 1);
        FalseAlarms alarms = new FalseAlarms();
        for (int i = 0; i < n; i++) {
            cluster.addNode(params.tokensPerNode());
        }
        int bootstrap = roundsUntil(cluster, params.maxRounds(), null, () -> everyoneKnowsAll(cluster));
        // Let first-contact timers age past suspectAfter, so the failure phase starts from steady state.
        for (int r = 0; r < params.suspectAfterRounds() + 2; r++) {
            cluster.round();
            alarms.check(cluster);
        }
        int joiner = cluster.addNode(params.tokensPerNode());
        NodeId joinerId = cluster.node(joiner).selfId();
        int join = roundsUntil(cluster, params.maxRounds(), alarms, () -> everyoneKnows(cluster, joinerId));
        for (int r = 0; r < 2; r++) {
            cluster.round();
            alarms.check(cluster);
        }
        int victim = params.seedNodes() + choices.nextInt(n - params.seedNodes());
        NodeId victimId = cluster.node(victim).selfId();
        cluster.kill(victim);
        alarms.exclude(victimId);
        int[] firstSuspicion = {-1};
        int[] elapsed = {0};
        int allDown = roundsUntil(cluster, params.maxRounds(), alarms, () -> {
            elapsed[0]++;
            if (firstSuspicion[0] < 0 && anyoneSuspects(cluster, victimId)) {
                firstSuspicion[0] = elapsed[0];
            }
            return everyoneSeesDown(cluster, victimId);
        });
        return new TrialResult(n, bootstrap, join, firstSuspicion[0], allDown, alarms.falseSuspicions,
                alarms.falseDowns);
    }

    /** Runs rounds until {@code done} holds after a round; returns how many, or -1 past the bound. */
    private static int roundsUntil(SimCluster cluster, int maxRounds, FalseAlarms alarms,
                                   java.util.function.BooleanSupplier done) {
        for (int r = 1; r <= maxRounds; r++) {
            cluster.round();
            if (alarms != null) {
                alarms.check(cluster);
            }
            if (done.getAsBoolean()) {
                return r;
            }
        }
        return -1;
    }

    private static boolean everyoneKnowsAll(SimCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.isAlive(i) && cluster.node(i).knownCount() < cluster.size()) {
                return false;
            }
        }
        return true;
    }

    private static boolean everyoneKnows(SimCluster cluster, NodeId id) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.isAlive(i) && !cluster.node(i).knows(id)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyoneSuspects(SimCluster cluster, NodeId id) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.isAlive(i)) {
                for (Suspicion s : cluster.node(i).selfState().suspicions()) {
                    if (s.suspect().equals(id)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean everyoneSeesDown(SimCluster cluster, NodeId id) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.isAlive(i)
                    && (!cluster.node(i).knows(id) || cluster.node(i).liveness(id) != Liveness.DOWN)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Counts suspicions of live nodes (node-rounds) and false DOWNs: (viewer, live subject) pairs
     * where a live node's view says DOWN, summed over rounds. The second is exact: every live
     * node's whole view is checked every round.
     */
    private static final class FalseAlarms {
        long falseSuspicions;
        long falseDowns;
        private final java.util.Set<NodeId> excluded = new java.util.HashSet<>();

        void exclude(NodeId id) {
            excluded.add(id);
        }

        void check(SimCluster cluster) {
            java.util.Set<NodeId> dead = new java.util.HashSet<>(excluded);
            for (int i = 0; i < cluster.size(); i++) {
                if (!cluster.isAlive(i)) {
                    dead.add(cluster.node(i).selfId());
                }
            }
            for (int i = 0; i < cluster.size(); i++) {
                if (!cluster.isAlive(i)) {
                    continue;
                }
                for (Suspicion s : cluster.node(i).selfState().suspicions()) {
                    if (!dead.contains(s.suspect())) {
                        falseSuspicions++;
                    }
                }
                for (NodeId down : cluster.node(i).downMembers()) {
                    if (!dead.contains(down)) {
                        falseDowns++;
                    }
                }
            }
        }
    }

    private static double log2(int n) {
        return Math.log(n) / Math.log(2);
    }

    private static boolean printSummary(PrintStream out, GossipSimParams params, int n, List<TrialResult> results) {
        boolean finished = results.stream()
                .allMatch(r -> r.bootstrapRounds() > 0 && r.joinRounds() > 0 && r.allDownRounds() > 0);
        out.printf(Locale.ROOT, " mean  %9.1f  %4.1f  %13.1f  %8.1f  %12.1f%n",
                mean(results, TrialResult::bootstrapRounds), mean(results, TrialResult::joinRounds),
                mean(results, TrialResult::firstSuspicionRounds), mean(results, TrialResult::allDownRounds),
                mean(results, GossipSimulation::downAfterSuspect));
        out.printf(Locale.ROOT, "  max  %9d  %4d  %13d  %8d  %12d%n",
                max(results, TrialResult::bootstrapRounds), max(results, TrialResult::joinRounds),
                max(results, TrialResult::firstSuspicionRounds), max(results, TrialResult::allDownRounds),
                max(results, GossipSimulation::downAfterSuspect));
        out.printf(Locale.ROOT, "join/log2(n) = %.2f   (down-suspect)/log2(n) = %.2f%n",
                mean(results, TrialResult::joinRounds) / log2(n),
                mean(results, GossipSimulation::downAfterSuspect) / log2(n));
        if (!finished) {
            out.println("WARNING: some phase did not finish within " + params.maxRounds() + " rounds ('-')");
        }
        return finished;
    }

    private static int downAfterSuspect(TrialResult r) {
        return r.allDownRounds() < 0 || r.firstSuspicionRounds() < 0 ? -1
                : r.allDownRounds() - r.firstSuspicionRounds();
    }

    private static String fmt(int rounds) {
        return rounds < 0 ? "-" : Integer.toString(rounds);
    }

    private static double mean(List<TrialResult> results, java.util.function.ToIntFunction<TrialResult> f) {
        return results.stream().mapToInt(f).filter(v -> v >= 0).average().orElse(Double.NaN);
    }

    private static int max(List<TrialResult> results, java.util.function.ToIntFunction<TrialResult> f) {
        return results.stream().mapToInt(f).max().orElse(-1);
    }

    /**
     * Dev entry point: {@code GossipSimulation [trials] [seed] [sizes...]}; system properties
     * {@code model=sequential}, {@code loss=0.05}, {@code fanout=3}, {@code suspect=5} adjust the rest.
     */
    public static void main(String[] args) {
        GossipSimParams params = GossipSimParams.defaults();
        if (System.getProperty("model") != null) {
            params = params.withRoundModel(
                    SimCluster.RoundModel.valueOf(System.getProperty("model").toUpperCase(Locale.ROOT)));
        }
        if (System.getProperty("loss") != null) {
            params = params.withMessageLossRate(Double.parseDouble(System.getProperty("loss")));
        }
        if (System.getProperty("fanout") != null) {
            params = params.withFanout(Integer.parseInt(System.getProperty("fanout")));
        }
        if (System.getProperty("suspect") != null) {
            params = params.withSuspectAfterRounds(Integer.parseInt(System.getProperty("suspect")));
        }
        if (args.length > 0) {
            params = params.withTrials(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            params = params.withSeed(Long.parseLong(args[1]));
        }
        if (args.length > 2) {
            List<Integer> sizes = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                sizes.add(Integer.parseInt(args[i]));
            }
            params = params.withClusterSizes(sizes);
        }
        System.exit(run(System.out, params));
    }
}
