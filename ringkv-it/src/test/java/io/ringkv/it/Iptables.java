package io.ringkv.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code iptables} command: every call checks the exit status and fails with the
 * command line and its stderr. Needs root and the iptables package; {@link #unavailableReason}
 * says why not when either is missing, so tests can skip with that message.
 */
final class Iptables {
    private static final long COMMAND_LIMIT_SECONDS = 30;
    /** Wait up to this long for the xtables lock (iptables-legacy) instead of failing at once. */
    private static final String LOCK_WAIT_SECONDS = "5";
    /** The command: Debian installs it in /usr/sbin, which a non-login shell's PATH may lack. */
    private static final String COMMAND = findCommand();

    private Iptables() {
    }

    /** Empty when this JVM runs as root and {@code iptables -S INPUT} works; otherwise why not. */
    static Optional<String> unavailableReason() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                return Optional.of("network partition tests need root (they add iptables rules); this JVM runs as uid " + uid);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("network partition tests need Linux (/proc/self): " + e);
        }
        try {
            run("-S", "INPUT");
            return Optional.empty();
        } catch (UncheckedIOException e) {
            return Optional.of("network partition tests need the iptables command (apt-get install iptables): " + e.getMessage());
        } catch (IllegalStateException e) {
            return Optional.of("iptables does not work here: " + e.getMessage());
        }
    }

    private static String findCommand() {
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, "iptables");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "iptables"; // elsewhere on PATH, or missing: run() then says it cannot start it
    }

    /**
     * Runs {@code iptables -w 5 ARGS} and returns what it printed (stdout and stderr together).
     *
     * @throws IllegalStateException naming the command, exit status and output (stderr) if it fails
     * @throws UncheckedIOException  if the command cannot be started (not installed)
     */
    static String run(String... args) {
        List<String> command = new ArrayList<>(List.of(COMMAND, "-w", LOCK_WAIT_SECONDS));
        command.addAll(List.of(args));
        Process process;
        try {
            // One stream: a failure's message is usually on stderr, and one pipe cannot fill while the other is read.
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + COMMAND_LIMIT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with status " + process.exitValue()
                        + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
