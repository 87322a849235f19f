package io.ringkv.cluster.membership;

/**
 * What a node says about its own place in the cluster. Only the node itself changes it; gossip
 * spreads it. Whether the node is reachable is a separate, locally derived {@link Liveness}.
 */
public enum AnnouncedStatus {
    /** Known to the cluster but not yet owning its tokens (range transfer in progress). */
    JOINING,
    /** Owns its tokens and serves requests. */
    NORMAL,
    /** Still serving, but handing its ranges to others before it goes. */
    LEAVING,
    /** Gone for good: its tokens are no longer in the ring. Forgotten after a while. */
    LEFT;

    /** Wire code; stable, never reuse one. */
    public int code() {
        return ordinal() + 1;
    }

    public static AnnouncedStatus fromCode(int code) {
        AnnouncedStatus[] all = values();
        if (code < 1 || code > all.length) {
            throw new IllegalArgumentException("unknown announced status code " + code);
        }
        return all[code - 1];
    }
}
