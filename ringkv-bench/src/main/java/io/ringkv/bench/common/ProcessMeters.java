package io.ringkv.bench.common;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;

/**
 * Process CPU time and JVM garbage collection so far. A benchmark row takes the difference
 * across its loop, because two costs escape the per-call latency histogram but not the ops/s
 * figure: an engine that keeps its memtable on the Java heap pays in young-generation copying
 * (spent between the timed calls), and both engines flush and compact on background threads
 * that compete with the benchmark thread for the machine's cores. Process CPU includes
 * RocksDB's native threads, so CPU per op compares the engines' total work.
 *
 * @param cpuNanos     CPU time of the whole process, or -1 where the JVM cannot tell
 * @param gcCollections collections by every collector
 * @param gcMillis     time spent collecting (for stop-the-world collectors, pause time)
 */
public record ProcessMeters(long cpuNanos, long gcCollections, long gcMillis) {

    public static ProcessMeters now() {
        long count = 0;
        long time = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            time += Math.max(0, gc.getCollectionTime());
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long cpu = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        return new ProcessMeters(cpu, count, time);
    }

    public ProcessMeters since(ProcessMeters before) {
        long cpu = cpuNanos < 0 || before.cpuNanos < 0 ? -1 : cpuNanos - before.cpuNanos;
        return new ProcessMeters(cpu, gcCollections - before.gcCollections, gcMillis - before.gcMillis);
    }

    /** e.g. "GC 0.42 s in 3 collections". */
    public String describeGc() {
        return String.format(Locale.ROOT, "GC %.2f s in %d collections", gcMillis / 1e3, gcCollections);
    }
}
