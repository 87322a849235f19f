package io.ringkv.cluster.admin;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.streaming.StreamProgress;
import io.ringkv.core.ring.TokenRange;
import java.util.List;
import java.util.Optional;

/**
 * One node's administrative surface (docs/http-api.md, "Admin"). Every method may block (a
 * local read from disk, a scan): callers run it off event loops. Thread-safe.
 */
public interface NodeAdmin {

    /** The key's preference list in this node's view of the ring, in order: its N replicas, as node ids. */
    List<String> replicas(byte[] key);

    /**
     * The versions this node's own store holds for {@code key}, shown as a get shows them (values
     * and context), with no coordination, no read repair and no hints; empty when it holds none.
     */
    Optional<GetResult> local(byte[] key);

    /** The hints this node holds for other nodes, one queue per target, sorted by target id. */
    List<HintQueue> hints();

    /**
     * Starts a repair (anti-entropy now) of this node's ranges, or of those of them that overlap
     * {@code range} when it is present; returns its first progress report. Repairs run one at a
     * time per node: a second start while one runs returns the running one's progress.
     */
    RepairProgress startRepair(Optional<TokenRange> range);

    /** A repair started on this node since it started, by id. */
    Optional<RepairProgress> repair(long id);

    /** Every repair started on this node since it started (manual and background), newest first, at most 20. */
    List<RepairProgress> repairs();

    /**
     * Starts decommissioning this node: it announces LEAVING, hands every range it replicates to
     * the nodes that take it over, announces LEFT and stops (docs/design/membership.md). Returns
     * the first progress report; a decommission in progress reports its progress. Throws
     * {@link IllegalStateException} when the node cannot leave now (not NORMAL, still joining).
     */
    StreamProgress decommission();

    /** The join or decommission streaming of this node since it started, if any. */
    Optional<StreamProgress> streaming();

    /**
     * Removes {@code nodeId}, a node that is down for good, from the ring (removenode): its
     * ranges go to the next nodes, which fill them from the surviving replicas by anti-entropy
     * (docs/design/membership.md). Throws {@link IllegalStateException} when it cannot be removed
     * (unknown, this node, not DOWN, no tokens).
     */
    void removeNode(String nodeId);

    /**
     * Every token range this node replicates in its ring, in token order, with its replicas and
     * the current root of its Merkle tree (dirty leaves rehashed first): replicas of a range that
     * report equal roots hold the same data for it. Empty while the node does not know the ring;
     * {@link AntiEntropyDisabledException} when it keeps no trees.
     */
    List<RangeRoot> ranges();

    /**
     * Flushes this node's memtable and compacts all of its store into one table now, returning
     * when done: the compaction that drops the tombstones the purge rule allows
     * (docs/design/anti-entropy.md, "When a tombstone may be purged"), without waiting for the
     * engine's own.
     */
    CompactionResult compact();
}
