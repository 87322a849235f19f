package io.ringkv.cluster.replica;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Told when a key's sibling set exceeded the cap and its oldest versions were dropped. */
@FunctionalInterface
public interface SiblingCapListener {

    /** Called from inside the storage engine's merge: must be quick and must not throw. */
    void onSiblingCapExceeded(byte[] key, int droppedVersions, int cap);

    SiblingCapListener NONE = (key, dropped, cap) -> { };

    /**
     * Logs a warning on the 1st, 2nd, 4th, 8th... occurrence, so a client that never passes a
     * context is visible in the log without flooding it (and without reading a clock).
     */
    static SiblingCapListener logging() {
        Logger log = LoggerFactory.getLogger(SiblingCapListener.class);
        java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        return (key, dropped, cap) -> {
            long n = count.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                log.warn("sibling cap of {} exceeded ({} times so far); dropped {} oldest versions of a key of {} bytes."
                        + " Clients should pass the context from their last read when they write.", cap, n, dropped, key.length);
            }
        };
    }
}
