package io.ringkv.core.version;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The names that write events carry: one actor per start of a node, {@code <nodeId>~<incarnation>}
 * with a random 50-bit incarnation in base 32 (10 characters). Riak's kv679 shows why a node's
 * history must not outlive its data: a node that lost its data (wiped, restored from an older
 * backup, commit-log segments moved aside) and kept its actor name would issue counters that
 * surviving versions' contexts already claim, so its new writes would look seen and be dropped,
 * or a reader of its new write would supersede an old write it never saw. A fresh name per start
 * makes that impossible whatever was lost, without the node having to detect the loss; the cost
 * is one more clock entry per node start in the keys that node coordinates (bounded by
 * truncation, docs/design/versioning.md).
 *
 * <p>A node also names the writes it forwards to a key's replicas with a second actor,
 * {@link #forwarding}: those versions are stored by replicas, not by the node that issued their
 * dots, so a set holding one of them says nothing about the same actor's lower counters. Their
 * dots always stay exact events in contexts ({@link Siblings#readContext}).
 */
public final class Actors {
    /** Between a node id and its incarnation; node ids never contain it. */
    public static final char SEPARATOR = '~';
    /** Ends a forwarding actor's name; node ids and incarnations never contain it. */
    private static final String FORWARDING_MARK = "+f";
    private static final int INCARNATION_CHARS = 10;
    private static final String BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final RandomGenerator RANDOM = new SecureRandom();

    private Actors() {
    }

    /** A fresh actor for this start of {@code nodeId}. */
    public static String newIncarnation(String nodeId) {
        return newIncarnation(nodeId, RANDOM);
    }

    /** As {@link #newIncarnation(String)} with a given source of randomness (tests, simulations). */
    public static String newIncarnation(String nodeId, RandomGenerator random) {
        if (nodeId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("node id " + nodeId + " must not contain '" + SEPARATOR + "'");
        }
        StringBuilder sb = new StringBuilder(nodeId.length() + 1 + INCARNATION_CHARS).append(nodeId).append(SEPARATOR);
        long bits = random.nextLong();
        for (int i = 0; i < INCARNATION_CHARS; i++) {
            sb.append(BASE32.charAt((int) (bits & 31)));
            bits >>>= 5;
        }
        return NodeIds.require(sb.toString());
    }

    /** The actor a node started as {@code actor} uses for the writes it forwards. */
    public static String forwarding(String actor) {
        return NodeIds.require(actor + FORWARDING_MARK);
    }

    /** Whether {@code actor} names a node's forwarded writes. */
    public static boolean isForwarding(String actor) {
        return actor.endsWith(FORWARDING_MARK);
    }

    /** The node an actor belongs to: the part before the separator (the whole name if there is none). */
    public static String nodeOf(String actor) {
        int i = actor.indexOf(SEPARATOR);
        return i < 0 ? actor : actor.substring(0, i);
    }
}
