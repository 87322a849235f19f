package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Token;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a node says about itself, apart from its heartbeat: where to reach it, where it sits
 * (data center, rack), how much load it takes (weight), which ring positions it owns (tokens)
 * and its announced status. Only the owner changes it, bumping its metadataVersion each time.
 *
 * <p>Tokens are the ring's {@link Token}s (unsigned 128-bit positions), strictly increasing, at
 * most {@value #MAX_TOKENS}. Weight is the ring's relative capacity (see docs/design/ring.md).
 *
 * @param peerAddress the inter-node (Transport) listener
 * @param httpAddress the client-facing HTTP listener; also a host:port, hence the same type
 */
public record NodeInfo(
        AnnouncedStatus status,
        PeerAddress peerAddress,
        PeerAddress httpAddress,
        String dc,
        String rack,
        double weight,
        List<Token> tokens) {

    public static final int MAX_TOKENS = 4096;
    public static final int MAX_LABEL_BYTES = 255;
    public static final double MAX_WEIGHT = 1_000_000;

    public NodeInfo {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(httpAddress, "httpAddress");
        checkLabel("dc", dc);
        checkLabel("rack", rack);
        if (!(weight > 0 && weight <= MAX_WEIGHT)) {
            throw new IllegalArgumentException("weight must be > 0 and <= " + MAX_WEIGHT + ", was " + weight);
        }
        tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
        if (tokens.size() > MAX_TOKENS) {
            throw new IllegalArgumentException(
                    "a node may own at most " + MAX_TOKENS + " tokens, was given " + tokens.size());
        }
        Token previous = null;
        for (Token token : tokens) {
            Objects.requireNonNull(token, "token");
            if (previous != null && previous.compareTo(token) >= 0) {
                throw new IllegalArgumentException(
                        "tokens must be strictly increasing: " + previous + " then " + token);
            }
            previous = token;
        }
    }

    /** A node that has not claimed tokens yet, in dc1/rack1 with weight 1. */
    public static NodeInfo joining(PeerAddress peerAddress, PeerAddress httpAddress) {
        return new NodeInfo(AnnouncedStatus.JOINING, peerAddress, httpAddress, "dc1", "rack1", 1, List.of());
    }

    public NodeInfo withStatus(AnnouncedStatus newStatus) {
        return new NodeInfo(newStatus, peerAddress, httpAddress, dc, rack, weight, tokens);
    }

    public NodeInfo withTokens(List<Token> newTokens) {
        return new NodeInfo(status, peerAddress, httpAddress, dc, rack, weight, newTokens);
    }

    private static void checkLabel(String what, String label) {
        Objects.requireNonNull(label, what);
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_LABEL_BYTES) {
            throw new IllegalArgumentException(
                    what + " must be 1.." + MAX_LABEL_BYTES + " UTF-8 bytes, was " + bytes);
        }
    }
}
