package io.ringkv.cluster.admin;

/**
 * The hints one node holds for one target node (Dynamo §4.6: writes meant for it that it missed).
 *
 * @param target    the node the hints are for
 * @param targetUp  whether gossip believes the target is up (hints are delivered only then)
 * @param pending   hints (keys) held now
 * @param bytes     their size on disk, roughly: keys plus encoded versions
 * @param stored    hints stored for the target since this node started
 * @param delivered hints delivered to the target (and acknowledged durably by it) since this node started
 * @param expired   hints dropped undelivered because they outlived the hint window, since this node started
 */
public record HintQueue(String target, boolean targetUp, long pending, long bytes, long stored, long delivered,
                        long expired) {
}
