package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.Consistency;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A request's quorum once its options and the node's defaults are resolved: a number of any
 * replicas (Dynamo's R or W), a majority of one named data center's replicas, or a majority in
 * every data center (docs/design/coordinator.md, "Data centers"). A forwarded write carries it,
 * so the receiver counts what the client asked of the node it called: "local" stays the data
 * center of that node, even when the receiver is elsewhere.
 *
 * @param consistency {@link Consistency#COUNT}, {@link Consistency#LOCAL_QUORUM} or {@link Consistency#EACH_QUORUM}
 * @param count       R or W under COUNT, else 0
 * @param dataCenter  the coordinator's data center under LOCAL_QUORUM, else null
 */
record QuorumLevel(Consistency consistency, int count, String dataCenter) {

    QuorumLevel {
        Objects.requireNonNull(consistency, "consistency");
        switch (consistency) {
            case COUNT -> {
                if (count < 1 || dataCenter != null) {
                    throw new IllegalArgumentException("a count quorum needs a count of at least 1 and no data center");
                }
            }
            case LOCAL_QUORUM -> {
                if (count != 0 || dataCenter == null || dataCenter.isEmpty()) {
                    throw new IllegalArgumentException("a local quorum names its data center and no count");
                }
            }
            case EACH_QUORUM -> {
                if (count != 0 || dataCenter != null) {
                    throw new IllegalArgumentException("an each-data-center quorum has no count and no data center");
                }
            }
            case DEFAULT -> throw new IllegalArgumentException("a resolved quorum level is never DEFAULT");
        }
    }

    static QuorumLevel count(int n) {
        return new QuorumLevel(Consistency.COUNT, n, null);
    }

    static QuorumLevel localQuorum(String dataCenter) {
        return new QuorumLevel(Consistency.LOCAL_QUORUM, 0, dataCenter);
    }

    static QuorumLevel eachQuorum() {
        return new QuorumLevel(Consistency.EACH_QUORUM, 0, null);
    }

    /** How many answers of which nodes this level needs for a key with {@code replicas}. */
    QuorumRule over(List<String> replicas, Function<String, String> dataCenterOf) {
        return switch (consistency) {
            case COUNT -> QuorumRule.count(count);
            case LOCAL_QUORUM -> QuorumRule.majorityIn(List.of(dataCenter), replicas, dataCenterOf);
            case EACH_QUORUM -> QuorumRule.majorityIn(replicas.stream().map(dataCenterOf).distinct().sorted().toList(),
                    replicas, dataCenterOf);
            case DEFAULT -> throw new IllegalStateException("unreachable");
        };
    }

    /** The required count a failure reports when nothing at all was acknowledged and the replicas are unknown. */
    int nominalRequired() {
        return consistency == Consistency.COUNT ? count : 1;
    }

    @Override
    public String toString() {
        return switch (consistency) {
            case COUNT -> String.valueOf(count);
            case LOCAL_QUORUM -> "local_quorum(" + dataCenter + ")";
            default -> consistency.label;
        };
    }
}
