package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.QuorumNotMetException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which answers count toward one request's quorum, and how many each <i>scope</i> needs: a pure
 * value, built from a {@link QuorumLevel} and the key's replicas. A numeric R or W has one scope
 * that every answer counts in. A quorum per data center has one scope per data center it
 * counts (the coordinator's alone for a local quorum, each holding replicas of the key for an
 * each-data-center quorum), needing a majority of the key's replicas there; an answer counts
 * only in its own node's data center, and a hint only when its holder is in the data center of
 * the replica it stands in for (a hint elsewhere keeps the write for that replica, but it does
 * not make that data center hold it). A data center with no replicas of the key needs one answer
 * that cannot come: such a quorum fails at once.
 */
final class QuorumRule {
    /** The one scope of a count quorum. */
    static final String ANY = "*";

    private final Map<String, Integer> required;
    private final Function<String, String> dataCenterOf;

    private QuorumRule(Map<String, Integer> required, Function<String, String> dataCenterOf) {
        this.required = Collections.unmodifiableMap(required);
        this.dataCenterOf = dataCenterOf;
    }

    /** {@code n} answers from any nodes. */
    static QuorumRule count(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a quorum needs at least 1 answer, got " + n);
        }
        return new QuorumRule(Map.of(ANY, n), null);
    }

    /** A majority of {@code replicas} in each of {@code dataCenters}; at least 1 where there are none. */
    static QuorumRule majorityIn(List<String> dataCenters, List<String> replicas, Function<String, String> dataCenterOf) {
        Map<String, Integer> required = new LinkedHashMap<>();
        for (String dc : dataCenters) {
            long inDc = replicas.stream().filter(r -> dc.equals(dataCenterOf.apply(r))).count();
            required.put(dc, (int) (inDc / 2 + 1));
        }
        if (required.isEmpty()) {
            required.put(ANY, 1); // no replicas at all: no node's answer counts, so it fails at once
        }
        return new QuorumRule(required, dataCenterOf);
    }

    /** Answers needed per scope, in a fixed order. */
    Map<String, Integer> required() {
        return required;
    }

    /** The scope {@code node}'s answer counts in, or null when it counts nowhere. */
    String scopeOf(String node) {
        if (dataCenterOf == null) {
            return ANY;
        }
        String dc = dataCenterOf.apply(node);
        return dc != null && required.containsKey(dc) ? dc : null;
    }

    /** The scope a hint held by {@code holder} for {@code target} counts in, or null. */
    String scopeOfHint(String holder, String target) {
        if (dataCenterOf == null) {
            return ANY;
        }
        String dc = dataCenterOf.apply(target);
        return dc != null && dc.equals(dataCenterOf.apply(holder)) ? scopeOf(target) : null;
    }

    /** The failure of a quorum that got {@code successes} per scope: the first scope short of its requirement. */
    QuorumNotMetException notMet(String operation, Map<String, Integer> successes) {
        for (Map.Entry<String, Integer> e : required.entrySet()) {
            int got = successes.getOrDefault(e.getKey(), 0);
            if (got < e.getValue()) {
                return exception(operation, e.getKey(), e.getValue(), got);
            }
        }
        throw new IllegalStateException("every scope met its quorum: " + successes + " of " + required);
    }

    /** The failure when no node acknowledged anything. */
    QuorumNotMetException noneAcknowledged(String operation) {
        return notMet(operation, Map.of());
    }

    private static QuorumNotMetException exception(String operation, String scope, int required, int got) {
        return new QuorumNotMetException(operation, required, got, scope.equals(ANY) ? null : scope);
    }

    @Override
    public String toString() {
        return "QuorumRule" + required;
    }
}
