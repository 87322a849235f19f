package io.ringkv.client;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Sends one request to the first node that can take it. The {@link NodeSelector} gives the
 * order; nodes that failed recently (in back-off) are moved to the end, so they are tried
 * only when every other node failed too. Each node is tried at most once per request.
 *
 * <p>What counts as "the node cannot take it" is a failure below HTTP: the connection was
 * refused or reset, the node closed it, it sent something that is not HTTP, or it did not
 * answer in time. The node is then put in back-off for a short while and the request goes
 * to the next node. An HTTP error answer (4xx, 5xx) is an answer: it is returned, not retried.
 *
 * <p>A request whose write reached a node that then died may be sent to another node as well.
 * For a read that is harmless. For a write with context C it can store the value twice, as
 * two concurrent versions both descending from C; both carry the same value, and the next
 * read-and-write with the merged context resolves them (docs/client.md, "Failover").
 *
 * <p>A pooled keep-alive connection that fails before any byte of the answer arrives is most
 * likely one the node closed while it sat idle: the request is retried once, at once, on a
 * fresh connection to the same node, before that node is given up.
 */
final class Failover {
    private final List<URI> uris;
    private final Map<URI, Node> nodes;
    private final NodeSelector selector;
    private final LongSupplier ticker;
    private final long backoffTicks;
    private final int connectTimeoutMillis;
    private final long answerTimeoutNanos;

    Failover(List<URI> uris, Map<URI, Node> nodes, NodeSelector selector, LongSupplier ticker, long backoffTicks,
             int connectTimeoutMillis, long answerTimeoutNanos) {
        this.uris = List.copyOf(uris);
        this.nodes = Map.copyOf(nodes);
        this.selector = selector;
        this.ticker = ticker;
        this.backoffTicks = backoffTicks;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.answerTimeoutNanos = answerTimeoutNanos;
    }

    RawResponse send(byte[] key, String method, String target, String contentType, String context, byte[] body) {
        List<URI> order = selector.order(key, uris);
        if (order.isEmpty()) {
            throw new IllegalStateException("the node selector chose no node for this request");
        }
        long now = ticker.getAsLong();
        List<Node> inBackoff = null;
        List<String> failures = null;
        for (int pass = 0; pass < 2; pass++) {
            List<Node> candidates = pass == 0 ? nodesOf(order) : inBackoff;
            if (candidates == null) {
                break;
            }
            for (Node node : candidates) {
                if (pass == 0 && node.isInBackoff(now)) {
                    if (inBackoff == null) {
                        inBackoff = new ArrayList<>(2);
                    }
                    inBackoff.add(node);
                    continue;
                }
                try {
                    RawResponse response = exchangeWith(node, method, target, contentType, context, body);
                    node.markHealthy();
                    return response;
                } catch (IOException e) {
                    node.backOff(ticker.getAsLong(), backoffTicks);
                    if (failures == null) {
                        failures = new ArrayList<>(2);
                    }
                    failures.add(node.uri() + ": " + describe(e));
                }
            }
        }
        throw new RingkvUnavailableException(failures);
    }

    private List<Node> nodesOf(List<URI> order) {
        List<Node> result = new ArrayList<>(order.size());
        for (URI uri : order) {
            Node node = nodes.get(uri);
            if (node == null) {
                throw new IllegalStateException("the node selector chose " + uri + ", which is not one of " + uris);
            }
            result.add(node);
        }
        return result;
    }

    private RawResponse exchangeWith(Node node, String method, String target, String contentType, String context,
                                     byte[] body) throws IOException {
        HttpConnection pooled = node.pollIdle();
        if (pooled != null) {
            try {
                return exchange(node, pooled, method, target, contentType, context, body);
            } catch (IOException e) {
                if (pooled.answerStarted() || e instanceof SocketTimeoutException) {
                    throw e;
                }
                // A stale keep-alive connection: fall through to one fresh attempt.
            }
        }
        return exchange(node, node.connect(connectTimeoutMillis), method, target, contentType, context, body);
    }

    private RawResponse exchange(Node node, HttpConnection c, String method, String target, String contentType,
                                 String context, byte[] body) throws IOException {
        boolean reusable = false;
        try {
            HttpConnection.Exchange x = c.exchange(method, target, node.hostHeader(), contentType, context, body,
                    System.nanoTime() + answerTimeoutNanos);
            reusable = x.keepAlive();
            return x.response();
        } finally {
            if (reusable) {
                node.release(c);
            } else {
                c.close();
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    void close() {
        nodes.values().forEach(Node::close);
    }
}
