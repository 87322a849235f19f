package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Picks whom to gossip with this round. Pure: the same inputs and random sequence give the same
 * targets. The rules (after Cassandra's Gossiper, which follows the same epidemic model):
 *
 * <ol>
 *   <li>{@code fanout} distinct peers chosen uniformly from those this node believes reachable:
 *       uniform random partners are what makes a rumour reach everyone in O(log n) rounds
 *       (Demers et al., "Epidemic Algorithms for Replicated Database Maintenance", 1987).
 *   <li>While fewer than {@code fanout} reachable peers are known (a new or restarted node), the
 *       seeds fill the remaining slots, in random order, so one seed being down never blocks a
 *       join through another.
 *   <li>Otherwise, if no seed was picked, one seed with probability seeds / known peers: seeds
 *       stay well informed and two halves of a healed partition find each other through them.
 *   <li>One unreachable peer with probability unreachable / (reachable + 1), so a node that
 *       comes back is noticed even by nodes nobody else is telling.
 * </ol>
 */
final class PeerSelector {
    private PeerSelector() {}

    static List<PeerAddress> choose(int fanout, List<PeerAddress> seeds, List<PeerAddress> reachable,
                                    List<PeerAddress> unreachable, RandomGenerator random) {
        Set<PeerAddress> targets = new LinkedHashSet<>();
        targets.addAll(sample(reachable, fanout, random));
        if (reachable.size() < fanout) {
            for (PeerAddress seed : sample(seeds, seeds.size(), random)) {
                if (targets.size() >= fanout) {
                    break;
                }
                targets.add(seed);
            }
        } else if (!seeds.isEmpty() && targets.stream().noneMatch(seeds::contains)) {
            double known = reachable.size() + unreachable.size();
            if (random.nextDouble() < seeds.size() / known) {
                targets.add(seeds.get(random.nextInt(seeds.size())));
            }
        }
        if (!unreachable.isEmpty()
                && random.nextDouble() < unreachable.size() / (double) (reachable.size() + 1)) {
            targets.add(unreachable.get(random.nextInt(unreachable.size())));
        }
        return List.copyOf(targets);
    }

    /** Up to {@code count} distinct elements, uniformly, by a partial Fisher-Yates shuffle. */
    static <T> List<T> sample(List<T> from, int count, RandomGenerator random) {
        List<T> copy = new ArrayList<>(from);
        int n = Math.min(count, copy.size());
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(copy.size() - i);
            T swap = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, swap);
        }
        return copy.subList(0, n);
    }
}
