package io.ringkv.storage.memtable;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** The running JVM's G1 heap region size, which {@link MemArena} sizes its chunks by. */
final class G1Regions {
    /** G1's region size in bytes, or 0 if the collector is not G1 or the JVM does not say. */
    static final long REGION_BYTES = regionBytes();

    private G1Regions() {
    }

    private static long regionBytes() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null || !Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            long bytes = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
            return bytes > 0 && bytes <= (32 << 20) && Long.bitCount(bytes) == 1 ? bytes : 0;
        } catch (RuntimeException | LinkageError e) {
            return 0; // not HotSpot, or the management module is absent: ordinary chunks work everywhere
        }
    }
}
