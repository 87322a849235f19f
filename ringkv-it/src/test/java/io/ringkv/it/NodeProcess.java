package io.ringkv.it;

import io.ringkv.server.ServerMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One node's JVM: {@code io.ringkv.server.ServerMain --config FILE}, started with the java binary
 * and classpath of the test JVM, stdout and stderr appended to the node's log file, and subjected to real signals. {@link #kill9} is SIGKILL (checked through
 * the exit status 128 + 9), {@link #pause} and {@link #resume} are SIGSTOP and SIGCONT (checked
 * through the process state in /proc).
 */
final class NodeProcess {
    /** Exit status the JDK reports for a process ended by signal 9 (128 + SIGKILL). */
    static final int SIGKILL_EXIT_STATUS = 137;
    private static final long SIGNAL_WAIT_MILLIS = 10_000;

    private final NodeSpec node;
    private final Process process;

    private NodeProcess(NodeSpec node, Process process) {
        this.node = node;
        this.process = process;
    }

    /** Starts the node on its existing config file and data directory. */
    static NodeProcess launch(NodeSpec node) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        // Identifies the process in `ps` output; nothing reads it.
        command.add("-Dringkv.it.node=" + node.configFile());
        // Small, quick-starting JVMs: several share two cores with the test JVM. C1 only, since
        // these runs check behaviour, not speed.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                "--config", node.configFile().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(node.dir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()));
        try {
            appendToLog(node, "==== harness: starting " + node.id() + " ====");
            Process process = builder.start();
            ProcessReaper.register(process);
            return new NodeProcess(node, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + node.id() + ": " + e.getMessage(), e);
        }
    }

    /** The java binary running the tests (the toolchain JDK under Maven), else java.home's. */
    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status if the process has ended. */
    OptionalInt exitStatus() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * kill -9: {@link Process#destroyForcibly} sends SIGKILL on Linux; the exit status proves
     * it (a SIGTERM would give 143, or 0 after a clean shutdown).
     */
    void kill9() {
        appendToLog(node, "==== harness: kill -9 " + node.id() + " (pid " + pid() + ") ====");
        process.destroyForcibly();
        int status = awaitExit();
        if (status != SIGKILL_EXIT_STATUS) {
            throw new AssertionError(node.id() + " was to be killed by SIGKILL but exited with status " + status);
        }
    }

    /** kill -STOP: the JVM freezes with its sockets open, as a node in a long GC pause. */
    void pause() {
        appendToLog(node, "==== harness: SIGSTOP " + node.id() + " ====");
        signal("STOP");
        awaitState('T', "stopped");
    }

    /** kill -CONT. */
    void resume() {
        signal("CONT");
        awaitState(null, "running again");
        appendToLog(node, "==== harness: SIGCONT " + node.id() + " ====");
    }

    boolean isPaused() {
        return processState() == 'T';
    }

    /** Ends the process at once (SIGKILL) and waits for it; for cleanup. */
    void destroy() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(SIGNAL_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError(node.id() + " (pid " + pid() + ") still runs " + SIGNAL_WAIT_MILLIS + " ms after SIGKILL");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + node.id() + " to exit", e);
        }
    }

    private void signal(String name) {
        if (!process.isAlive()) {
            throw new AssertionError("cannot send SIG" + name + " to " + node.id() + ": it has exited");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(SIGNAL_WAIT_MILLIS, TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                kill.destroyForcibly();
                throw new AssertionError("kill -" + name + " " + pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending SIG" + name, e);
        }
    }

    /** Waits until /proc says the process is in {@code state} ('T' stopped), or any other state when null. */
    private void awaitState(Character state, String what) {
        Await.until(Duration.ofMillis(SIGNAL_WAIT_MILLIS), node.id() + " (pid " + pid() + ") " + what, () -> {
            char current = processState();
            return state == null ? current != 'T' : current == state;
        });
    }

    /** The state letter of /proc/PID/stat (R, S, D, T, Z...); after the parenthesised command name. */
    private char processState() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return 'X';
        }
    }

    static void appendToLog(NodeSpec node, String line) {
        try {
            Files.writeString(node.logFile(), Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + node.logFile(), e);
        }
    }

    /** The last {@code lines} lines of the node's log. */
    static String logTail(NodeSpec node, int lines) {
        try {
            // Lenient decoding: a log cut by kill -9 may end inside a character.
            List<String> all = new String(Files.readAllBytes(node.logFile()), StandardCharsets.UTF_8).lines().toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
