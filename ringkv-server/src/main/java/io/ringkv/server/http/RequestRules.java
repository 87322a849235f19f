package io.ringkv.server.http;

import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.api.QuorumMode;
import io.ringkv.cluster.api.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks every request passes before the store sees it: key and value sizes, the r and w
 * quorum parameters, and no unknown query parameters. Each failure names what was wrong.
 *
 * @param maxKeyBytes      longest key accepted (413 beyond)
 * @param maxKeyValueBytes longest key + value payload accepted (413 beyond)
 * @param maxQuorum        largest r or w a request may ask for: the node's effective N
 */
record RequestRules(int maxKeyBytes, int maxKeyValueBytes, int maxQuorum) {
    static final Set<String> QUORUM_PARAMETERS = Set.of("r", "w", "sloppy", "consistency");

    void checkKey(byte[] key) {
        if (key.length == 0) {
            throw ApiException.badRequest("invalid_request", "key must not be empty");
        }
        if (key.length > maxKeyBytes) {
            throw ApiException.tooLarge("key_too_large", "key is " + key.length + " bytes; the limit is " + maxKeyBytes + " bytes");
        }
    }

    void checkKeyValue(byte[] key, byte[] payload) {
        long total = (long) key.length + payload.length;
        if (total > maxKeyValueBytes) {
            throw ApiException.tooLarge("value_too_large", "key plus value is " + total + " bytes; the limit is "
                    + maxKeyValueBytes + " bytes");
        }
    }

    /**
     * Reads r and w (each 1..maxQuorum, absent for the service default), sloppy and consistency
     * after checking that the query holds only {@code allowed} parameters, each given once. A
     * consistency counted per data center replaces r and w, so it comes alone.
     */
    RequestOptions options(Map<String, List<String>> query, Set<String> allowed) {
        checkParameters(query, allowed);
        int r = quorum(query, "r");
        int w = quorum(query, "w");
        Consistency consistency = consistency(query);
        if (consistency.perDataCenter() && (r != 0 || w != 0)) {
            throw ApiException.badRequest("invalid_parameter", "consistency=" + consistency.label + " counts a majority of"
                    + " replicas per data center and replaces " + (r != 0 ? "r" : "w") + "; give one or the other");
        }
        return new RequestOptions(r, w, 0, quorumMode(query), consistency);
    }

    /**
     * {@code consistency=count|local_quorum|each_quorum} (absent: the node's default,
     * {@code replication.consistency}); docs/http-api.md, "Quorum parameters".
     */
    private static Consistency consistency(Map<String, List<String>> query) {
        List<String> values = query.get("consistency");
        if (values == null) {
            return Consistency.DEFAULT;
        }
        return Consistency.ofLabel(values.getFirst()).filter(c -> c != Consistency.DEFAULT)
                .orElseThrow(() -> ApiException.badRequest("invalid_parameter",
                        "consistency must be count, local_quorum or each_quorum, got \"" + values.getFirst() + "\""));
    }

    /** Checks that the query holds only {@code allowed} parameters, each given once. */
    static void checkParameters(Map<String, List<String>> query, Set<String> allowed) {
        for (var e : query.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiException.badRequest("invalid_parameter", "unknown query parameter \"" + e.getKey() + "\" (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            if (e.getValue().size() > 1) {
                throw ApiException.badRequest("invalid_parameter", "query parameter \"" + e.getKey() + "\" is given "
                        + e.getValue().size() + " times; give it once");
            }
        }
    }

    /** {@code sloppy=true} or {@code false}: whether fallbacks' hints may count (absent: the node's default). */
    private static QuorumMode quorumMode(Map<String, List<String>> query) {
        List<String> values = query.get("sloppy");
        if (values == null) {
            return QuorumMode.DEFAULT;
        }
        return switch (values.getFirst().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> QuorumMode.SLOPPY;
            case "false" -> QuorumMode.STRICT;
            default -> throw ApiException.badRequest("invalid_parameter", "sloppy must be true or false, got \""
                    + values.getFirst() + "\"");
        };
    }

    private int quorum(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null) {
            return 0;
        }
        String text = values.getFirst();
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter", name + " must be a whole number from 1 to " + maxQuorum
                    + ", got \"" + text + "\"");
        }
        if (value < 1 || value > maxQuorum) {
            throw ApiException.badRequest("invalid_parameter", name + " must be from 1 to " + maxQuorum
                    + " (N, the replicas per key), got " + value);
        }
        return value;
    }
}
