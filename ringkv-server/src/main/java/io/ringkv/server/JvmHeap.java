package io.ringkv.server;

import io.ringkv.server.config.JvmMemoryOptions;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * The heap limit this JVM was given ({@code -Xmx}), as opposed to one the JVM chose itself. A node
 * sizes its caches for the heap it really has: the launchers set {@code -Xmx} from the memory
 * plan, and an operator's {@code -Xmx} (RINGKV_JAVA_OPTS) replaces theirs. Read from the JVM's
 * arguments, not from its MaxHeapSize flag, which the JVM rounds up (to 2 MiB) and reports as
 * chosen by itself whenever it did.
 */
final class JvmHeap {
    private JvmHeap() {
    }

    /** The last {@code -Xmx} among this JVM's arguments, in bytes. */
    static OptionalLong explicitMaxBytes() {
        return JvmMemoryOptions.lastMaxHeap(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .map(JvmMemoryOptions::maxHeapBytes).orElse(OptionalLong.empty());
    }
}
