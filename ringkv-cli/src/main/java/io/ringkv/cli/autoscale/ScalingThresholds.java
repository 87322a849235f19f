package io.ringkv.cli.autoscale;

/**
 * When the autoscaler adds or removes a node (docs/cli.md, "cluster autoscale").
 *
 * @param minNodes            never fewer nodes (a cluster below it is grown first)
 * @param maxNodes            never more
 * @param scaleUpOpsPerNode   above this many requests per second per node, a node is added
 * @param scaleDownOpsPerNode below this, a node is removed, if the rest would stay below scaleUpOpsPerNode
 * @param p99CeilingMillis    a p99 above this also adds a node, and forbids removing one
 * @param sustainMillis       how long a condition must hold, sample after sample, before it is acted on
 * @param cooldownMillis      how long after a change completes before the next may start
 */
public record ScalingThresholds(int minNodes, int maxNodes, double scaleUpOpsPerNode, double scaleDownOpsPerNode,
                                double p99CeilingMillis, long sustainMillis, long cooldownMillis) {
    public ScalingThresholds {
        require(minNodes >= 1, "--min must be at least 1, got " + minNodes);
        require(maxNodes >= minNodes && maxNodes <= 100, "--max must be between --min (" + minNodes + ") and 100, got " + maxNodes);
        require(scaleUpOpsPerNode > 0, "--scale-up-ops must be positive, got " + scaleUpOpsPerNode);
        require(scaleDownOpsPerNode >= 0 && scaleDownOpsPerNode < scaleUpOpsPerNode,
                "--scale-down-ops must be at least 0 and below --scale-up-ops (" + scaleUpOpsPerNode + "), got "
                        + scaleDownOpsPerNode + ": between the two the cluster holds still");
        require(p99CeilingMillis > 0, "--p99-ceiling-ms must be positive, got " + p99CeilingMillis);
        require(sustainMillis >= 0, "--sustain-seconds must not be negative");
        require(cooldownMillis >= 0, "--cooldown-seconds must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
