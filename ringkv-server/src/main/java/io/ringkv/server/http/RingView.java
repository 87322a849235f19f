package io.ringkv.server.http;

import java.util.List;

/**
 * The ring as one node sees it, for {@code GET /api/v1/ring}: every node that owns tokens and
 * its tokens (vnodes), so a client or the dashboard can place each key and draw each range, and
 * each range's replicas as this node's placement rules (racks, data centers) choose them, so a
 * partition-aware client routes exactly as the coordinators do without a placement code of its
 * own. A range {@code (previous token, token]} belongs first to the token's owner.
 *
 * @param node    the answering node's id
 * @param version changes whenever a token, an owner or a range's replicas change (a hash of all
 *                three): a client compares it to know when to fetch the ring again, and it is the
 *                answer's entity tag
 * @param nodes   the owners, sorted by id, each with its tokens as 32 hex digits in ring order
 */
public record RingView(String node, String version, List<NodeTokens> nodes) {
    public RingView {
        nodes = List.copyOf(nodes);
    }

    /**
     * @param replicas for each token (same order), the node ids of the range it ends, in
     *                 preference-list order; every id is one of the ring's owners
     */
    public record NodeTokens(String id, List<String> tokens, List<List<String>> replicas) {
        public NodeTokens {
            tokens = List.copyOf(tokens);
            replicas = replicas.stream().map(List::copyOf).toList();
            if (replicas.size() != tokens.size()) {
                throw new IllegalArgumentException("node " + id + " has " + tokens.size() + " tokens but replicas for "
                        + replicas.size());
            }
        }
    }
}
