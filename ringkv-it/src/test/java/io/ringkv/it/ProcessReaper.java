package io.ringkv.it;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last line of defence against leaked node JVMs: every process the harness starts is registered
 * here, and a shutdown hook of the test JVM SIGKILLs whatever is still alive (a test that never
 * reached its cleanup, a Ctrl-C of the build). Normal cleanup is {@link LocalClusterProcesses#close};
 * this only catches what it missed. It kills only the processes registered, by their handle.
 */
final class ProcessReaper {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "ringkv-it-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }

    private static void killAll() {
        for (Process process : LIVE) {
            // SIGKILL works on a SIGSTOPped process too.
            process.destroyForcibly();
        }
    }
}
