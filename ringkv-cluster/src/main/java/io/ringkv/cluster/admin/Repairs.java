package io.ringkv.cluster.admin;

import io.ringkv.core.ring.TokenRange;
import java.util.List;
import java.util.Optional;

/**
 * Anti-entropy as {@link NodeAdmin} reports and drives it: repair runs, and the Merkle roots of
 * the ranges they compare.
 */
public interface Repairs {
    /**
     * A node whose anti-entropy is switched off ({@code antiEntropy.enabled: false}): no repair can
     * start and there are no trees; both say so with {@link AntiEntropyDisabledException}.
     */
    Repairs DISABLED = new Repairs() {
        @Override
        public RepairProgress startRepair(Optional<TokenRange> range) {
            throw new AntiEntropyDisabledException("cannot start a repair");
        }

        @Override
        public Optional<RepairProgress> repair(long id) {
            return Optional.empty();
        }

        @Override
        public List<RepairProgress> repairs() {
            return List.of();
        }

        @Override
        public List<RangeRoot> ranges() {
            throw new AntiEntropyDisabledException("no Merkle trees to report");
        }
    };

    RepairProgress startRepair(Optional<TokenRange> range);

    Optional<RepairProgress> repair(long id);

    List<RepairProgress> repairs();

    /**
     * Every range this node replicates in its ring, in token order, with its tree's root after
     * rehashing the leaves written since the last refresh (a store scan per such range, not
     * paced by the background throttle). Empty while the node does not know the cluster's ring.
     */
    List<RangeRoot> ranges();
}
