package io.ringkv.cluster.membership.sim;

import java.util.List;

/**
 * Parameters of {@link GossipSimulation}. Times are in gossip rounds; the simulation maps one
 * round to one gossipIntervalMillis of simulated time.
 *
 * @param clusterSizes        cluster sizes to simulate, e.g. 100 and 1000
 * @param trials              independent trials per size (each with its own derived seed)
 * @param seed                master seed; the same seed prints the same figures
 * @param fanout              peers contacted per round
 * @param suspectAfterRounds  suspectAfterMillis expressed in rounds
 * @param seedNodes           how many of the nodes are seeds
 * @param tokensPerNode       tokens each node claims (sizes full states against the message budget)
 * @param messageLossRate     probability that any one message (Syn, Ack, Ack2) is lost
 * @param maxRounds           bound on every phase; a phase that has not finished by then is reported
 * @param roundModel          how exchanges within a round interleave (LOCKSTEP is the conservative one)
 */
public record GossipSimParams(
        List<Integer> clusterSizes,
        int trials,
        long seed,
        int fanout,
        int suspectAfterRounds,
        int seedNodes,
        int tokensPerNode,
        double messageLossRate,
        int maxRounds,
        SimCluster.RoundModel roundModel) {

    public GossipSimParams {
        clusterSizes = List.copyOf(clusterSizes);
        java.util.Objects.requireNonNull(roundModel, "roundModel");
        if (clusterSizes.isEmpty()) {
            throw new IllegalArgumentException("give at least one cluster size");
        }
        for (int n : clusterSizes) {
            if (n < 4 || n > 4000) {
                throw new IllegalArgumentException("cluster size must be 4..4000, was " + n);
            }
        }
        if (trials < 1 || trials > 1000) {
            throw new IllegalArgumentException("trials must be 1..1000, was " + trials);
        }
        if (fanout < 1 || fanout > 32) {
            throw new IllegalArgumentException("fanout must be 1..32, was " + fanout);
        }
        if (suspectAfterRounds < 2) {
            throw new IllegalArgumentException("suspectAfterRounds must be >= 2, was " + suspectAfterRounds);
        }
        if (seedNodes < 1 || seedNodes > 64) {
            throw new IllegalArgumentException("seedNodes must be 1..64, was " + seedNodes);
        }
        if (tokensPerNode < 0 || tokensPerNode > 4096) {
            throw new IllegalArgumentException("tokensPerNode must be 0..4096, was " + tokensPerNode);
        }
        if (!(messageLossRate >= 0 && messageLossRate < 1)) {
            throw new IllegalArgumentException("messageLossRate must be in [0, 1), was " + messageLossRate);
        }
        if (maxRounds < 10 || maxRounds > 100_000) {
            throw new IllegalArgumentException("maxRounds must be 10..100000, was " + maxRounds);
        }
    }

    /** n = 100 and 1000, 5 trials, fanout 3, suspect after 8 rounds (the default 8 s), 3 seeds, 256 tokens, no loss, lockstep. */
    public static GossipSimParams defaults() {
        return new GossipSimParams(List.of(100, 1000), 5, 42, 3, 8, 3, 256, 0.0, 200, SimCluster.RoundModel.LOCKSTEP);
    }

    public GossipSimParams withRoundModel(SimCluster.RoundModel model) {
        return new GossipSimParams(clusterSizes, trials, seed, fanout, suspectAfterRounds, seedNodes,
                tokensPerNode, messageLossRate, maxRounds, model);
    }

    public GossipSimParams withClusterSizes(List<Integer> sizes) {
        return new GossipSimParams(sizes, trials, seed, fanout, suspectAfterRounds, seedNodes,
                tokensPerNode, messageLossRate, maxRounds, roundModel);
    }

    public GossipSimParams withTrials(int n) {
        return new GossipSimParams(clusterSizes, n, seed, fanout, suspectAfterRounds, seedNodes,
                tokensPerNode, messageLossRate, maxRounds, roundModel);
    }

    public GossipSimParams withSeed(long s) {
        return new GossipSimParams(clusterSizes, trials, s, fanout, suspectAfterRounds, seedNodes,
                tokensPerNode, messageLossRate, maxRounds, roundModel);
    }

    public GossipSimParams withMessageLossRate(double rate) {
        return new GossipSimParams(clusterSizes, trials, seed, fanout, suspectAfterRounds, seedNodes,
                tokensPerNode, rate, maxRounds, roundModel);
    }

    public GossipSimParams withFanout(int f) {
        return new GossipSimParams(clusterSizes, trials, seed, f, suspectAfterRounds, seedNodes,
                tokensPerNode, messageLossRate, maxRounds, roundModel);
    }

    public GossipSimParams withSuspectAfterRounds(int rounds) {
        return new GossipSimParams(clusterSizes, trials, seed, fanout, rounds, seedNodes,
                tokensPerNode, messageLossRate, maxRounds, roundModel);
    }
}
