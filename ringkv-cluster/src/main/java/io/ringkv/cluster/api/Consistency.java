package io.ringkv.cluster.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Which replicas' answers count toward a request's quorum (docs/design/coordinator.md, "Data
 * centers"). Dynamo's R and W count any replicas; a cluster spread over data centers also needs
 * quorums scoped to them, as Cassandra's LOCAL_QUORUM and EACH_QUORUM are.
 */
public enum Consistency {
    /** The node's configured default ({@code replication.consistency}). */
    DEFAULT("default"),
    /** R or W answers from any of the key's replicas, wherever they are (Dynamo §4.5). */
    COUNT("count"),
    /**
     * A majority of the key's replicas in the coordinator's data center; replicas elsewhere get
     * the writes but their answers do not count. Keeps a data center readable and writable
     * while it is cut off from the others.
     */
    LOCAL_QUORUM("local_quorum"),
    /** A majority of the key's replicas in every data center that holds some. */
    EACH_QUORUM("each_quorum");

    /** As clients write it. */
    public final String label;

    Consistency(String label) {
        this.label = label;
    }

    /** The level named {@code label} (case-insensitive), if any. */
    public static Optional<Consistency> ofLabel(String label) {
        String wanted = label.strip().toLowerCase(Locale.ROOT);
        for (Consistency c : values()) {
            if (c.label.equals(wanted)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Whether answers are counted per data center. */
    public boolean perDataCenter() {
        return this == LOCAL_QUORUM || this == EACH_QUORUM;
    }
}
