package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import java.util.Objects;

/** A gossip exchange the state machine wants started: send {@code syn} to {@code target}. */
public record Outbound(PeerAddress target, GossipMessage.Syn syn) {
    public Outbound {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(syn, "syn");
    }
}
