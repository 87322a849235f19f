package io.ringkv.cluster.admin;

import io.ringkv.core.ring.TokenRange;
import java.util.List;
import java.util.Optional;

/** Repair runs of one node, as the anti-entropy service offers them ({@link NodeAdmin}'s repair methods). */
public interface Repairs {
    RepairProgress startRepair(Optional<TokenRange> range);

    Optional<RepairProgress> repair(long id);

    List<RepairProgress> repairs();
}
