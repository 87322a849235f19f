package io.ringkv.cluster.membership;

import java.util.List;
import java.util.Objects;

/**
 * One node's newer state, sent to a peer whose digest showed it behind. Most rounds only the
 * heartbeat (and suspicion list) moved, so a {@link HeartbeatDelta} avoids resending tokens;
 * a {@link Full} state is sent when the peer's generation or metadata version differs.
 */
public sealed interface NodeUpdate {

    NodeId id();

    record Full(NodeState state) implements NodeUpdate {
        public Full {
            Objects.requireNonNull(state, "state");
        }

        @Override
        public NodeId id() {
            return state.id();
        }
    }

    /**
     * Applies only to a receiver holding the same (generation, metadataVersion) and an older
     * heartbeat; anything else is ignored and repaired by the next exchange's full state.
     */
    record HeartbeatDelta(NodeId id, long generation, long heartbeat, long metadataVersion,
                          List<Suspicion> suspicions) implements NodeUpdate {
        public HeartbeatDelta {
            Objects.requireNonNull(id, "id");
            suspicions = NodeState.checkSuspicions(id, suspicions);
            if (generation < 1 || heartbeat < 0 || metadataVersion < 0) {
                throw new IllegalArgumentException("bad heartbeat delta numbers for " + id + ": "
                        + generation + "/" + heartbeat + "/" + metadataVersion);
            }
        }

        static HeartbeatDelta of(NodeState state) {
            return new HeartbeatDelta(state.id(), state.generation(), state.heartbeat(),
                    state.metadataVersion(), state.suspicions());
        }

        int estimatedBytes() {
            return 40 + id.value().length() + 24 * suspicions.size();
        }
    }
}
