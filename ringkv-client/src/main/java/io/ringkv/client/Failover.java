package io.ringkv.client;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Sends one request to the first node that can take it. The {@link NodeSelector} gives the
 * order; nodes that failed recently (in back-off) are moved to the end, so they are tried
 * only when every other node failed too. Each node is tried at most once per request.
 *
 * <p>What counts as "the node cannot take it" is a failure below HTTP: the connection was
 * refused or reset, the node closed it, it sent something that is not HTTP, or it did not
 * answer in time. The node is then put in back-off for a short while, its idle connections are
 * closed, and the ring is refreshed soon (a partition-aware client). An HTTP error answer (4xx,
 * 5xx) is an answer: it is returned, not retried.
 *
 * <p>Retries are only where they are safe. A read goes to the next node after any such failure.
 * A write goes to the next node only when the node certainly did not receive it: the connection
 * could not be made, or it broke before the whole request was handed to the socket (a node acts
 * on a request only once it has all of it). A write that went out whole and then got no answer
 * may have been applied; sending it elsewhere could store it twice, so the caller gets a
 * {@link WriteOutcomeUnknownException} instead (docs/client.md, "Retries").
 *
 * <p>A pooled keep-alive connection is most likely dead if the node restarted while it sat idle.
 * A read that fails on one before any byte of the answer arrived is retried once, at once, on a
 * fresh connection to the same node. A write first checks a pooled connection for a close by
 * the node ({@link HttpConnection#peerClosed()}, one non-blocking read), so that it does not go
 * out on a dead connection in the first place.
 */
final class Failover {
    private final NodePool pool;
    private final List<URI> configured;
    private final NodeSelector selector;
    private final LongSupplier ticker;
    private final long backoffTicks;
    private final int connectTimeoutMillis;
    private final Runnable onNodeFailure;

    Failover(NodePool pool, List<URI> configured, NodeSelector selector, LongSupplier ticker, long backoffTicks,
             int connectTimeoutMillis, Runnable onNodeFailure) {
        this.pool = pool;
        this.configured = List.copyOf(configured);
        this.selector = selector;
        this.ticker = ticker;
        this.backoffTicks = backoffTicks;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.onNodeFailure = onNodeFailure;
    }

    /**
     * Sends the request; {@code idempotent} (a read) may be retried after any failure, a write
     * only when it certainly did not reach the node.
     */
    RawResponse send(byte[] key, String method, String target, String contentType, String context, byte[] body,
                     long answerTimeoutNanos, boolean idempotent) {
        List<URI> order = selector.order(key, configured);
        if (order.isEmpty()) {
            throw new IllegalStateException("the node selector chose no node for this request");
        }
        HttpConnection.Header contextHeader = HttpConnection.Header.context(context);
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
                    RawResponse response = exchangeWith(node, method, target, contentType, contextHeader, body,
                            answerTimeoutNanos, idempotent);
                    node.markHealthy();
                    return response;
                } catch (IOException e) {
                    nodeFailed(node);
                    if (e instanceof SentButUnanswered unanswered) {
                        if (!idempotent) {
                            throw new WriteOutcomeUnknownException(node.uri(), unanswered.getCause());
                        }
                        e = (IOException) unanswered.getCause();
                    }
                    if (failures == null) {
                        failures = new ArrayList<>(2);
                    }
                    failures.add(node.uri() + ": " + describe(e));
                }
            }
        }
        throw new RingkvUnavailableException(failures);
    }

    /** One GET to one node, no failover (the ring refresher picks its nodes itself). */
    RawResponse get(URI uri, String target, long answerTimeoutNanos) throws IOException {
        return get(uri, target, null, answerTimeoutNanos);
    }

    /** As {@link #get(URI, String, long)}, with {@code header} (null for none), e.g. an {@code If-None-Match}. */
    RawResponse get(URI uri, String target, HttpConnection.Header header, long answerTimeoutNanos) throws IOException {
        Node node = pool.node(uri);
        try {
            RawResponse response = exchangeWith(node, "GET", target, null, header, null, answerTimeoutNanos, true);
            node.markHealthy();
            return response;
        } catch (IOException e) {
            node.backOff(ticker.getAsLong(), backoffTicks);
            node.discardIdle();
            throw e instanceof SentButUnanswered ? (IOException) e.getCause() : e;
        }
    }

    /**
     * Opens {@code perNode} fresh connections to every configured node, each checked by one
     * {@code GET /health} and left in the node's idle pool; a node that fails is backed off as
     * after a failed request. Returns the nodes that answered 200 on every connection.
     */
    List<URI> connect(int perNode, long answerTimeoutNanos) {
        List<URI> answered = new ArrayList<>(configured.size());
        List<String> failures = new ArrayList<>();
        for (URI uri : configured) {
            Node node = pool.node(uri);
            try {
                for (int i = 0; i < perNode; i++) {
                    RawResponse r = exchange(node, node.connect(connectTimeoutMillis), "GET", "/health", null, null, null,
                            answerTimeoutNanos);
                    if (r.status() != 200) {
                        throw new IOException("GET /health answered " + r.status());
                    }
                }
                node.markHealthy();
                answered.add(uri);
            } catch (IOException e) {
                node.backOff(ticker.getAsLong(), backoffTicks);
                failures.add(uri + ": " + describe(e));
            }
        }
        if (answered.isEmpty()) {
            throw new RingkvUnavailableException(failures);
        }
        return answered;
    }

    boolean isInBackoff(URI uri) {
        return pool.isInBackoff(uri, ticker.getAsLong());
    }

    private void nodeFailed(Node node) {
        node.backOff(ticker.getAsLong(), backoffTicks);
        node.discardIdle();
        onNodeFailure.run();
    }

    private List<Node> nodesOf(List<URI> order) {
        List<Node> result = new ArrayList<>(order.size());
        for (URI uri : order) {
            result.add(pool.node(uri));
        }
        return result;
    }

    private RawResponse exchangeWith(Node node, String method, String target, String contentType,
                                     HttpConnection.Header header, byte[] body, long answerTimeoutNanos,
                                     boolean idempotent) throws IOException {
        HttpConnection pooled = node.pollIdle();
        if (pooled != null && !idempotent && pooled.peerClosed()) {
            pooled.close();
            pooled = null;
        }
        if (pooled != null) {
            try {
                return exchange(node, pooled, method, target, contentType, header, body, answerTimeoutNanos);
            } catch (IOException e) {
                if (pooled.answerStarted() || e instanceof SocketTimeoutException || (!idempotent && pooled.requestSent())) {
                    throw pooled.requestSent() ? new SentButUnanswered(e) : e;
                }
                // A stale keep-alive connection, and the request is one that may be repeated: one fresh attempt.
            }
        }
        HttpConnection fresh = node.connect(connectTimeoutMillis); // a failure here: the node never saw the request
        try {
            return exchange(node, fresh, method, target, contentType, header, body, answerTimeoutNanos);
        } catch (IOException e) {
            throw fresh.requestSent() ? new SentButUnanswered(e) : e;
        }
    }

    private RawResponse exchange(Node node, HttpConnection c, String method, String target, String contentType,
                                 HttpConnection.Header header, byte[] body, long answerTimeoutNanos) throws IOException {
        boolean reusable = false;
        try {
            HttpConnection.Exchange x = c.exchange(method, target, node.hostHeader(), contentType, header, body,
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
        pool.close();
    }

    /** The whole request went out and no (complete) answer came back: the node may have acted on it. */
    private static final class SentButUnanswered extends IOException {
        private static final long serialVersionUID = 1L;

        SentButUnanswered(IOException cause) {
            super(cause);
        }
    }
}
