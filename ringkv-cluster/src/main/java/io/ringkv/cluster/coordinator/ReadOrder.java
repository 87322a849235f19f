package io.ringkv.cluster.coordinator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The order in which a get asks a key's replicas (docs/design/coordinator.md, "Whom a read
 * asks"): this node first when it is a replica (its answer costs no message), then the replicas
 * believed up in random order, so that reads spread evenly over them and every replica is
 * compared by read repair now and then, then the replicas believed down, last resorts that
 * may have come back before the failure detector noticed.
 */
final class ReadOrder {
    private ReadOrder() {
    }

    /** The key's replicas that {@code isUp} says are not (none when this node is the only one asked). */
    static List<String> unreachable(List<String> replicas, String localNodeId, Predicate<String> isUp) {
        return replicas.stream().filter(r -> !r.equals(localNodeId) && !isUp.test(r)).toList();
    }

    static List<String> of(List<String> replicas, String localNodeId, Predicate<String> isUp, RandomGenerator random) {
        return of(replicas, localNodeId, isUp, random, List.of());
    }

    /**
     * As above, with a sloppy read's {@code fallbacks} (reachable nodes outside the replicas that
     * may hold hints for the unreachable ones) between the reachable replicas and the others:
     * asked only when replicas fail, before replicas that are probably down.
     */
    static List<String> of(List<String> replicas, String localNodeId, Predicate<String> isUp, RandomGenerator random,
                           List<String> fallbacks) {
        List<String> up = new ArrayList<>(replicas.size());
        List<String> down = new ArrayList<>(0);
        boolean local = false;
        for (String replica : replicas) {
            if (replica.equals(localNodeId)) {
                local = true;
            } else if (isUp.test(replica)) {
                up.add(replica);
            } else {
                down.add(replica);
            }
        }
        Collections.shuffle(up, random);
        List<String> order = new ArrayList<>(replicas.size());
        if (local) {
            order.add(localNodeId);
        }
        order.addAll(up);
        order.addAll(fallbacks);
        order.addAll(down);
        return order;
    }
}
