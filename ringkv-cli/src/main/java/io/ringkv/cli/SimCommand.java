package io.ringkv.cli;

import io.ringkv.cluster.membership.sim.GossipSimParams;
import io.ringkv.cluster.membership.sim.GossipSimulation;
import io.ringkv.cluster.membership.sim.SimCluster;
import io.ringkv.core.ring.sim.RingSimulation;
import io.ringkv.core.ring.sim.SimRingParams;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ringkv sim ring|gossip}: deterministic simulations that print their figures. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "Runs a simulation and prints its figures.",
        subcommands = {SimCommand.Ring.class, SimCommand.Gossip.class})
final class SimCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Main.missingSubcommand(spec);
    }

    /** Ring balance and data movement on join/leave (docs/design/ring.md). */
    @Command(name = "ring", mixinStandardHelpOptions = true,
            description = "Ring balance and movement on join/leave per cluster size (docs/design/ring.md).")
    static final class Ring implements Callable<Integer> {
        private static final SimRingParams D = SimRingParams.defaults();

        @Option(names = "--nodes", split = ",", paramLabel = "N", description = "cluster sizes (default: 10,20,50,100,200,500,1000)")
        List<Integer> nodeCounts = D.nodeCounts();

        @Option(names = "--vnodes", paramLabel = "V", description = "vnodes per weight unit (default: " + "${DEFAULT-VALUE})")
        int vnodes = D.vnodesPerWeightUnit();

        @Option(names = "--weights", paramLabel = "MIX", description = "UNIFORM or MIXED (default: ${DEFAULT-VALUE})")
        SimRingParams.WeightMix weights = D.weights();

        @Option(names = "--allocation", paramLabel = "A", description = "BALANCED or RANDOM (default: ${DEFAULT-VALUE})")
        SimRingParams.Allocation allocation = D.allocation();

        @Option(names = "--replicas", paramLabel = "N", description = "N for the replica columns (default: ${DEFAULT-VALUE})")
        int replicas = D.replicas();

        @Option(names = "--racks", paramLabel = "R", description = "racks (default: ${DEFAULT-VALUE})")
        int racks = D.racks();

        @Option(names = "--seed", paramLabel = "S", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed = D.seed();

        @Override
        public Integer call() {
            SimRingParams params;
            try {
                params = new SimRingParams(nodeCounts, vnodes, weights, allocation, replicas, racks, seed);
            } catch (IllegalArgumentException e) {
                throw new CliException("sim ring: " + e.getMessage(), CliException.USAGE);
            }
            return RingSimulation.run(System.out, params);
        }
    }

    /** Gossip convergence and failure detection (docs/design/gossip.md). */
    @Command(name = "gossip", mixinStandardHelpOptions = true,
            description = "Gossip bootstrap, join and failure-detection rounds per cluster size (docs/design/gossip.md).")
    static final class Gossip implements Callable<Integer> {
        private static final GossipSimParams D = GossipSimParams.defaults();

        @Option(names = "--nodes", split = ",", paramLabel = "N", description = "cluster sizes (default: 100,1000)")
        List<Integer> clusterSizes = D.clusterSizes();

        @Option(names = "--trials", paramLabel = "T", description = "trials per size (default: ${DEFAULT-VALUE})")
        int trials = D.trials();

        @Option(names = "--seed", paramLabel = "S", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed = D.seed();

        @Option(names = "--fanout", paramLabel = "F", description = "peers per round (default: ${DEFAULT-VALUE})")
        int fanout = D.fanout();

        @Option(names = "--suspect-after-rounds", paramLabel = "R", description = "rounds before suspicion (default: ${DEFAULT-VALUE})")
        int suspectAfterRounds = D.suspectAfterRounds();

        @Option(names = "--seed-nodes", paramLabel = "K", description = "seed nodes (default: ${DEFAULT-VALUE})")
        int seedNodes = D.seedNodes();

        @Option(names = "--tokens", paramLabel = "T", description = "tokens per node (default: ${DEFAULT-VALUE})")
        int tokensPerNode = D.tokensPerNode();

        @Option(names = "--loss", paramLabel = "P", description = "message loss rate in [0, 1) (default: ${DEFAULT-VALUE})")
        double messageLossRate = D.messageLossRate();

        @Option(names = "--max-rounds", paramLabel = "R", description = "bound on every phase (default: ${DEFAULT-VALUE})")
        int maxRounds = D.maxRounds();

        @Option(names = "--model", paramLabel = "M", description = "LOCKSTEP or SEQUENTIAL (default: ${DEFAULT-VALUE})")
        SimCluster.RoundModel roundModel = D.roundModel();

        @Override
        public Integer call() {
            GossipSimParams params;
            try {
                params = new GossipSimParams(clusterSizes, trials, seed, fanout, suspectAfterRounds, seedNodes, tokensPerNode,
                        messageLossRate, maxRounds, roundModel);
            } catch (IllegalArgumentException e) {
                throw new CliException("sim gossip: " + e.getMessage(), CliException.USAGE);
            }
            return GossipSimulation.run(System.out, params);
        }
    }
}
