package io.ringkv.cluster.admin;

import io.ringkv.core.ring.TokenRange;
import java.util.List;
import java.util.Optional;

/** Repair runs of one node, as the anti-entropy service offers them ({@link NodeAdmin}'s repair methods). */
public interface Repairs {
    /** A node whose anti-entropy is switched off ({@code antiEntropy.enabled: false}): no repair can start. */
    Repairs DISABLED = new Repairs() {
        @Override
        public RepairProgress startRepair(Optional<TokenRange> range) {
            throw new IllegalArgumentException("anti-entropy is disabled on this node (antiEntropy.enabled: false)");
        }

        @Override
        public Optional<RepairProgress> repair(long id) {
            return Optional.empty();
        }

        @Override
        public List<RepairProgress> repairs() {
            return List.of();
        }
    };

    RepairProgress startRepair(Optional<TokenRange> range);

    Optional<RepairProgress> repair(long id);

    List<RepairProgress> repairs();
}
