package io.ringkv.server;

import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.server.http.RingView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Builds {@code GET /api/v1/ring} from this node's current ring. The ring is an immutable value
 * swapped whole on every change, so the view is built once per ring and kept until the next.
 * Each range's replicas come from the ring's own placement ({@link Ring#preferenceList} under
 * this node's {@link ReplicationStrategy}), the code every coordinator uses.
 */
final class RingViewSource implements Supplier<RingView> {
    private record Built(Ring ring, RingView view) {}

    private final String self;
    private final Supplier<Ring> ring;
    private final ReplicationStrategy strategy;
    private volatile Built built = new Built(null, null);

    RingViewSource(String self, Supplier<Ring> ring, ReplicationStrategy strategy) {
        this.self = self;
        this.ring = ring;
        this.strategy = strategy;
    }

    @Override
    public RingView get() {
        Ring current = ring.get();
        Built last = built;
        if (last.ring() != current) {
            last = new Built(current, viewOf(self, current, strategy));
            built = last;
        }
        return last.view();
    }

    private record Owned(List<String> tokens, List<List<String>> replicas) {}

    static RingView viewOf(String self, Ring ring, ReplicationStrategy strategy) {
        Map<String, Owned> byOwner = new TreeMap<>();
        long version = 0xcbf29ce484222325L; // FNV-1a 64 over every token, owner and replica, in ring order
        for (int i = 0; i < ring.tokenCount(); i++) {
            String token = ring.token(i).toString();
            String owner = ring.ownerAt(i);
            List<String> replicas = ring.preferenceList(ring.token(i), strategy).replicas();
            Owned owned = byOwner.computeIfAbsent(owner, id -> new Owned(new ArrayList<>(), new ArrayList<>()));
            owned.tokens().add(token);
            owned.replicas().add(replicas);
            version = fnv(fnv(fnv(version, token), owner), Integer.toString(replicas.size()));
            for (String replica : replicas) {
                version = fnv(version, replica);
            }
        }
        List<RingView.NodeTokens> nodes = new ArrayList<>(byOwner.size());
        byOwner.forEach((id, owned) -> nodes.add(new RingView.NodeTokens(id, owned.tokens(), owned.replicas())));
        return new RingView(self, String.format("%016x", version), nodes);
    }

    private static long fnv(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return (hash ^ 0xff) * 0x100000001b3L; // a separator, so "ab"+"c" differs from "a"+"bc"
    }
}
