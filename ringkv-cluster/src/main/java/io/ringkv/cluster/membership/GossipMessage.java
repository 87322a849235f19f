package io.ringkv.cluster.membership;

import java.util.List;
import java.util.Objects;

/**
 * The three messages of one push-pull exchange (the Cassandra/Scuttlebutt digest handshake,
 * van Renesse et al., "Efficient Reconciliation and Flow Control for Anti-Entropy Protocols",
 * 2008): the initiator sends {@link Syn} with a digest of everything it knows; the peer answers
 * {@link Ack} with the states it has newer and digests of those it wants; the initiator sends
 * those in {@link Ack2}. Syn/Ack is one Transport request/response, Ack2 a second request.
 */
public sealed interface GossipMessage {

    record Syn(String clusterName, List<Digest> digests) implements GossipMessage {
        public Syn {
            Objects.requireNonNull(clusterName, "clusterName");
            digests = List.copyOf(digests);
        }
    }

    record Ack(List<NodeUpdate> updates, List<Digest> requests) implements GossipMessage {
        public Ack {
            updates = List.copyOf(updates);
            requests = List.copyOf(requests);
        }
    }

    record Ack2(List<NodeUpdate> updates) implements GossipMessage {
        public Ack2 {
            updates = List.copyOf(updates);
        }
    }
}
