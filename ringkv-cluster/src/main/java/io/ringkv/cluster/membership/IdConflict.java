package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import java.util.Objects;

/**
 * Two processes claim one node id: this one and a rival that gossips states of the same id
 * written by another {@link Instance} (most likely started on a copy of this node's data
 * directory). The instance that started first keeps the id; the other refuses to serve it. Both
 * processes decide alike, since the rule reads only the two instances (see {@link IdGuard}).
 *
 * @param id    the contested node id
 * @param self  this process
 * @param rival the other process, as its gossiped state describes it
 */
public record IdConflict(NodeId id, Claimant self, Claimant rival) {

    /** One of the processes claiming the id: its instance and the addresses it announces. */
    public record Claimant(Instance instance, PeerAddress peerAddress, PeerAddress httpAddress) {
        public Claimant {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(peerAddress, "peerAddress");
            Objects.requireNonNull(httpAddress, "httpAddress");
        }

        static Claimant of(NodeState state) {
            return new Claimant(state.instance(), state.info().peerAddress(), state.info().httpAddress());
        }
    }

    public IdConflict {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(rival, "rival");
        if (self.instance().equals(rival.instance())) {
            throw new IllegalArgumentException("a conflict needs two instances, both were " + self.instance());
        }
    }

    /** True if this process started later, so it is the one that refuses to serve the id. */
    public boolean selfRefused() {
        return self.instance().compareTo(rival.instance()) > 0;
    }

    /** The process that keeps the id: the one that started first. */
    public Claimant kept() {
        return selfRefused() ? rival : self;
    }

    /** The process that refuses to serve the id. */
    public Claimant refused() {
        return selfRefused() ? self : rival;
    }
}
