package io.ringkv.client;

import java.net.URI;
import java.util.List;

/**
 * Decides which node a request goes to first, and where it goes when that node cannot be
 * reached. Any node can coordinate any request (a node outside the key's preference list
 * forwards it, one hop), so the default, {@link #roundRobin()}, just spreads requests evenly.
 *
 * <p>This is the seam for partition awareness: a selector that knows the ring can put the key's
 * preference list first and save the forwarding hop. The client itself moves nodes that failed
 * recently (in back-off) to the end of whatever order the selector returns.
 */
@FunctionalInterface
public interface NodeSelector {
    /**
     * The nodes to try for one request, best first: elements of {@code nodes} (the client's node
     * list, in its configured order). Nodes left out are not tried for this request. Called on
     * every request by many threads at once: keep it cheap and thread-safe.
     */
    List<URI> order(byte[] key, List<URI> nodes);

    /** Each request starts at the next node in turn; the others follow in list order. */
    static NodeSelector roundRobin() {
        return new RoundRobinSelector();
    }
}
