package io.ringkv.client;

import java.net.URI;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every node the client has talked to or learned of, by URL, each with its connection pool
 * and back-off state. Nodes are added on first use (a partition-aware client learns them from
 * the ring) and dropped, their idle connections closed, when the cluster no longer lists them;
 * the configured (bootstrap) nodes stay. Their connections share one {@link AnswerDeadlines}.
 * Thread-safe.
 */
final class NodePool {
    private final ConcurrentHashMap<URI, Node> nodes = new ConcurrentHashMap<>();
    private final Set<URI> bootstrap;
    private final int maxIdlePerNode;
    private final long idleTimeoutNanos;
    private final AnswerDeadlines deadlines = new AnswerDeadlines();

    NodePool(Collection<URI> bootstrap, int maxIdlePerNode, long idleTimeoutNanos) {
        this.bootstrap = Set.copyOf(bootstrap);
        this.maxIdlePerNode = maxIdlePerNode;
        this.idleTimeoutNanos = idleTimeoutNanos;
        for (URI uri : bootstrap) {
            node(uri);
        }
    }

    Node node(URI uri) {
        Node existing = nodes.get(uri);
        return existing != null ? existing : nodes.computeIfAbsent(uri, u -> new Node(u, maxIdlePerNode, idleTimeoutNanos, deadlines));
    }

    /** Drops the nodes that are neither in {@code current} nor bootstrap nodes. */
    void retainOnly(Collection<URI> current) {
        Set<URI> keep = Set.copyOf(current);
        nodes.entrySet().removeIf(e -> {
            boolean drop = !keep.contains(e.getKey()) && !bootstrap.contains(e.getKey());
            if (drop) {
                e.getValue().close();
            }
            return drop;
        });
    }

    boolean isInBackoff(URI uri, long now) {
        Node node = nodes.get(uri);
        return node != null && node.isInBackoff(now);
    }

    void close() {
        nodes.values().forEach(Node::close);
        deadlines.close();
    }
}
