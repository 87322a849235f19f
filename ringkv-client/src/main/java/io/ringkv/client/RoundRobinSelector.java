package io.ringkv.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request i starts at node i mod n and fails over to the following nodes, wrapping around.
 * The n rotations are built once per node list, so choosing costs one atomic increment.
 */
final class RoundRobinSelector implements NodeSelector {
    private final AtomicInteger next = new AtomicInteger();
    private volatile Rotations rotations;

    private record Rotations(List<URI> nodes, List<List<URI>> byStart) {
    }

    @Override
    public List<URI> order(byte[] key, List<URI> nodes) {
        Rotations r = rotations;
        if (r == null || r.nodes() != nodes) {
            r = build(nodes);
            rotations = r;
        }
        return r.byStart().get(Math.floorMod(next.getAndIncrement(), nodes.size()));
    }

    private static Rotations build(List<URI> nodes) {
        List<List<URI>> byStart = new ArrayList<>(nodes.size());
        for (int start = 0; start < nodes.size(); start++) {
            List<URI> order = new ArrayList<>(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                order.add(nodes.get((start + i) % nodes.size()));
            }
            byStart.add(List.copyOf(order));
        }
        return new Rotations(nodes, List.copyOf(byStart));
    }
}
