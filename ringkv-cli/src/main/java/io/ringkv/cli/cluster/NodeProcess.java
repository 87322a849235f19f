package io.ringkv.cli.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts, finds and stops the JVM process of one local node. A pid file alone proves nothing
 * (the node may have died and the pid been reused), so a process counts as the node's only if
 * it is alive and its command line carries this node's marker ({@code -Dringkv.node.config=<its
 * config file>}), which only {@link #launch} sets.
 */
public final class NodeProcess {
    static final String MAIN_CLASS = "io.ringkv.cli.Main";
    /** Set on every node JVM to its config file; identifies the process as that node's. */
    static final String NODE_MARKER_PROPERTY = "ringkv.node.config";

    private NodeProcess() {
    }

    /** The pid recorded in the node's pid file, if there is a readable one. */
    public static Optional<Long> recordedPid(NodeLayout node) {
        try {
            String text = Files.readString(node.pidFile()).strip();
            return Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The node's live process: pid file present, process alive and running this node's config. */
    public static Optional<ProcessHandle> running(NodeLayout node) {
        return recordedPid(node).flatMap(ProcessHandle::of).filter(p -> p.isAlive() && isNodeProcess(p, node));
    }

    /**
     * The JDK reports at most the first 4 KiB of a command line on Linux, less than a classpath,
     * so the node is recognised by a marker property placed before the classpath.
     */
    static boolean isNodeProcess(ProcessHandle process, NodeLayout node) {
        return process.info().commandLine().map(cmd -> cmd.contains(marker(node))).orElse(false);
    }

    static String marker(NodeLayout node) {
        return "-D" + NODE_MARKER_PROPERTY + "=" + node.config();
    }

    /** The JVM property that sizes the carrier threads of virtual threads (every request runs on one). */
    static final String CARRIER_THREADS_PROPERTY = "jdk.virtualThreadScheduler.parallelism";

    /**
     * Starts the node in the background with the JVM and classpath of this process, output
     * appended to its node.log, and records its pid. {@code jvmOptions} ({@link NodeJvmOptions})
     * come last, so they win over the defaults set here (for a repeated option the JVM takes the last): the node's virtual threads get
     * {@code cores} carrier threads (its share of the machine), and it records or uses its
     * ahead-of-time cache ({@link AotCache}). {@code serverArguments} follow {@code server --config
     * FILE} (the memory the node's options were planned for).
     */
    public static ProcessHandle launch(NodeLayout node, int cores, List<String> jvmOptions, List<String> serverArguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(marker(node));
        command.add("--enable-native-access=ALL-UNNAMED");
        String home = System.getProperty("ringkv.home");
        if (home != null) {
            command.add("-Dringkv.home=" + home);
        }
        command.add("-D" + CARRIER_THREADS_PROPERTY + "=" + cores);
        command.addAll(AotCache.jvmOptions(node, jvmOptions));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", absoluteClassPath(), MAIN_CLASS, "server", "--config",
                node.config().toString()));
        command.addAll(serverArguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(node.dir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log().toFile()));
        try {
            Process process = builder.start();
            writePidFile(node, process.pid());
            return process.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + node.id() + ": " + e.getMessage(), e);
        }
    }

    /** This JVM's classpath with every entry made absolute: the node runs in its own directory. */
    static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            boolean wildcard = entry.equals("*") || entry.endsWith(File.separator + "*");
            String dir = wildcard ? entry.substring(0, entry.length() - 1) : entry;
            String absolute = Path.of(dir.isEmpty() ? "." : dir).toAbsolutePath().normalize().toString();
            entries.add(wildcard ? absolute + File.separator + "*" : absolute);
        }
        return String.join(File.pathSeparator, entries);
    }

    /** What {@link #stop} did. */
    public enum Stopped { NOT_RUNNING, TERMINATED, KILLED, STILL_RUNNING }

    /**
     * Sends SIGTERM and waits up to {@code gracePeriod} for a clean exit, then SIGKILL; removes
     * the pid file once the process is gone.
     */
    public static Stopped stop(NodeLayout node, Duration gracePeriod) {
        Optional<ProcessHandle> running = running(node);
        if (running.isEmpty()) {
            deletePidFile(node);
            return Stopped.NOT_RUNNING;
        }
        ProcessHandle process = running.get();
        process.destroy();
        Stopped outcome = Stopped.TERMINATED;
        if (!awaitExit(process, gracePeriod)) {
            process.destroyForcibly();
            outcome = Stopped.KILLED;
            if (!awaitExit(process, Duration.ofSeconds(10))) {
                return Stopped.STILL_RUNNING;
            }
        }
        deletePidFile(node);
        return outcome;
    }

    public static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    public static void deletePidFile(NodeLayout node) {
        try {
            Files.deleteIfExists(node.pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + node.pidFile(), e);
        }
    }

    private static void writePidFile(NodeLayout node, long pid) throws IOException {
        Path tmp = node.dir().resolve("ringkv.pid.tmp");
        Files.writeString(tmp, pid + "\n");
        Files.move(tmp, node.pidFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
