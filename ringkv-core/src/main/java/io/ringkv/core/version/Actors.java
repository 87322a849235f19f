package io.ringkv.core.version;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The names that write events carry: {@code <nodeId>~<incarnation>}, with a random 50-bit
 * incarnation in base 32 (10 characters). A node takes a new one at every start that does not
 * follow a clean stop (the node layer's {@code ActorFile} decides). Riak's kv679 shows why a
 * node's history must not outlive its data: a node that lost data (wiped, restored from an older
 * backup, commit-log segments moved aside, writes replicated before its own fsync lost in a
 * crash) and kept its actor name would issue counters that surviving versions' contexts already
 * claim, so its new writes would look seen and be dropped, or a reader of its new write would
 * supersede an old write it never saw. A fresh name makes that impossible whatever was lost,
 * without the node having to detect the loss; the cost is one more clock entry per unclean start
 * in the keys that node coordinates (docs/design/versioning.md, "Actors").
 */
public final class Actors {
    /** Between a node id and its incarnation; node ids never contain it. */
    public static final char SEPARATOR = '~';
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

    /** The node an actor belongs to: the part before the separator (the whole name if there is none). */
    public static String nodeOf(String actor) {
        int i = actor.indexOf(SEPARATOR);
        return i < 0 ? actor : actor.substring(0, i);
    }
}
