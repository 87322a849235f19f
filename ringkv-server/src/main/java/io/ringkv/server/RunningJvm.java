package io.ringkv.server;

import io.ringkv.server.config.JvmMemoryOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * The memory settings this JVM really runs with, which a node sizes its caches for and logs:
 * the launchers set {@code -Xmx} and the collector from the memory plan, and an operator's options
 * (RINGKV_JAVA_OPTS) may replace them.
 */
final class RunningJvm {
    private RunningJvm() {
    }

    /**
     * The last {@code -Xmx} among this JVM's arguments, in bytes: read from the arguments, not
     * from the MaxHeapSize flag, which the JVM rounds up (to 2 MiB) and then reports as its own
     * choice.
     */
    static OptionalLong explicitMaxHeapBytes() {
        return JvmMemoryOptions.lastMaxHeap(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .map(JvmMemoryOptions::maxHeapBytes).orElse(OptionalLong.empty());
    }

    /** The collector, by the names of its beans: serial, parallel, G1, ZGC, Shenandoah, or the names themselves. */
    static String collector() {
        StringBuilder names = new StringBuilder();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.append(names.isEmpty() ? "" : ", ").append(bean.getName());
        }
        String all = names.toString();
        if (all.contains("G1")) {
            return "G1";
        } else if (all.contains("PS ")) {
            return "parallel";
        } else if (all.contains("MarkSweepCompact")) {
            return "serial";
        } else if (all.contains("ZGC")) {
            return "ZGC";
        } else if (all.contains("Shenandoah")) {
            return "Shenandoah";
        }
        return all;
    }
}
