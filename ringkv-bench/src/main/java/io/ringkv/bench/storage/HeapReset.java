package io.ringkv.bench.storage;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Collects the previous engine's garbage between engines without shrinking the heap.
 *
 * <p>A {@code System.gc()} alone also lets G1 shrink the heap to what is live (about 35 MiB
 * here, below the JVM's initial 380 MiB). An engine whose memtable lives on the Java heap then
 * pays for growing it back while it is being measured (measured: 49 extra collections and
 * 0.45 s of pauses in ringkv's write row when it ran second), and an engine whose memtable is
 * off-heap does not; the figures would depend on the order the engines ran in. Raising the
 * manageable flag {@code MaxHeapFreeRatio} to 100 first keeps the heap at least as large as it
 * was, so the second engine starts on a heap no smaller than the first one did.
 */
final class HeapReset {
    private HeapReset() {
    }

    static void collectKeepingHeapSize() {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption("MaxHeapFreeRatio", "100");
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or the flag is not manageable here: collect anyway; the heap may shrink.
        }
        System.gc();
    }
}
