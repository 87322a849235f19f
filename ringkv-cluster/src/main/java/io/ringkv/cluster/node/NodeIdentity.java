package io.ringkv.cluster.node;

import io.ringkv.core.ring.Token;
import java.util.List;
import java.util.Objects;

/**
 * What a node must remember across restarts to stay the same cluster member: its id (to refuse
 * a data directory that belongs to another node), the generation of its latest start (a restart
 * must come back with a strictly higher one, docs/design/gossip.md) and the tokens it claimed
 * (a restart keeps its place on the ring). Stored by {@link NodeIdentityFile}.
 *
 * @param tokens strictly increasing; empty until the node has joined the ring
 */
public record NodeIdentity(String nodeId, long generation, List<Token> tokens) {
    public NodeIdentity {
        Objects.requireNonNull(nodeId, "nodeId");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be >= 1, was " + generation);
        }
        tokens = List.copyOf(tokens);
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i - 1).compareTo(tokens.get(i)) >= 0) {
                throw new IllegalArgumentException("tokens must be strictly increasing");
            }
        }
    }

    public NodeIdentity withGeneration(long newGeneration) {
        return new NodeIdentity(nodeId, newGeneration, tokens);
    }

    public NodeIdentity withTokens(List<Token> newTokens) {
        return new NodeIdentity(nodeId, generation, newTokens);
    }

    public boolean hasTokens() {
        return !tokens.isEmpty();
    }
}
