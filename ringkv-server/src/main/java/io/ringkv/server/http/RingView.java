package io.ringkv.server.http;

import java.util.List;

/**
 * The ring as one node sees it, for {@code GET /api/v1/ring}: every node that owns tokens and
 * its tokens (vnodes), so a client or the dashboard can place each key and draw each range. A
 * range {@code (previous token, token]} belongs first to the token's owner.
 *
 * @param node    the answering node's id
 * @param version changes whenever a token or an owner changes (a hash of both): a client
 *                compares it to know when to fetch the ring again
 * @param nodes   the owners, sorted by id, each with its tokens as 32 hex digits in ring order
 */
public record RingView(String node, String version, List<NodeTokens> nodes) {
    public RingView {
        nodes = List.copyOf(nodes);
    }

    public record NodeTokens(String id, List<String> tokens) {
        public NodeTokens {
            tokens = List.copyOf(tokens);
        }
    }
}
