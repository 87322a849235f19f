package io.ringkv.server;

import io.ringkv.core.ring.Ring;
import io.ringkv.server.http.RingView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Builds {@code GET /api/v1/ring} from this node's current ring. The ring is an immutable value
 * swapped whole on every change, so the view is built once per ring and kept until the next.
 */
final class RingViewSource implements Supplier<RingView> {
    private record Built(Ring ring, RingView view) {}

    private final String self;
    private final Supplier<Ring> ring;
    private volatile Built built = new Built(null, null);

    RingViewSource(String self, Supplier<Ring> ring) {
        this.self = self;
        this.ring = ring;
    }

    @Override
    public RingView get() {
        Ring current = ring.get();
        Built last = built;
        if (last.ring() != current) {
            last = new Built(current, viewOf(self, current));
            built = last;
        }
        return last.view();
    }

    static RingView viewOf(String self, Ring ring) {
        Map<String, List<String>> byOwner = new TreeMap<>();
        long version = 0xcbf29ce484222325L; // FNV-1a 64 over every token and owner, in ring order
        for (int i = 0; i < ring.tokenCount(); i++) {
            String token = ring.token(i).toString();
            String owner = ring.ownerAt(i);
            byOwner.computeIfAbsent(owner, id -> new ArrayList<>()).add(token);
            version = fnv(fnv(version, token), owner);
        }
        Map<String, RingView.NodeTokens> nodes = new LinkedHashMap<>();
        byOwner.forEach((id, tokens) -> nodes.put(id, new RingView.NodeTokens(id, tokens)));
        return new RingView(self, String.format("%016x", version), List.copyOf(nodes.values()));
    }

    private static long fnv(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return (hash ^ 0xff) * 0x100000001b3L; // a separator, so "ab"+"c" differs from "a"+"bc"
    }
}
