package io.ringkv.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Debian's {@code chromium} in headless mode, driven over the DevTools protocol
 * ({@link DevToolsSession}): started with a fresh profile directory and an OS-chosen debugging
 * port, which it writes to {@code DevToolsActivePort} in that directory. Closing kills the
 * browser and all its helper processes and deletes the profile.
 *
 * <p>Where chromium is required: CI runs as root on a fresh machine and {@code .ci/run}
 * installs it and sets {@code RINGKV_REQUIRE_CHROMIUM=1}, so a missing browser fails the test
 * there rather than skip it silently; a developer machine without it skips with the reason.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private final Process process;
    private final Path profile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DevToolsSession page;

    /** The browser binary, or empty when this machine has none. */
    static Optional<Path> binary() {
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** True where a missing browser must fail the test (CI), false where it may skip (a developer's machine). */
    static boolean required() {
        return "1".equals(System.getenv("RINGKV_REQUIRE_CHROMIUM"));
    }

    HeadlessChromium(Path binary, int widthPixels, int heightPixels) {
        try {
            profile = Files.createTempDirectory("ringkv-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless=new", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + widthPixels + "," + heightPixels,
                "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--metrics-recording-only", "--mute-audio", "about:blank"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add(1, "--no-sandbox"); // Chromium refuses to run as root with its sandbox
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
            page = DevToolsSession.connect(http, pageWebSocketUrl(awaitDebuggingPort()));
        } catch (IOException | RuntimeException e) {
            close();
            throw new IllegalStateException("could not start " + binary + ": " + e.getMessage() + "\n" + log(), e);
        }
    }

    DevToolsSession page() {
        return page;
    }

    private int awaitDebuggingPort() throws IOException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with status " + process.exitValue());
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
                    return Integer.parseInt(lines.getFirst().trim());
                }
            }
            sleep(50); // a real process starting
        }
        throw new IllegalStateException("chromium wrote no DevToolsActivePort within " + START_LIMIT);
    }

    /** The first page target's WebSocket (the about:blank tab the browser opened). */
    private String pageWebSocketUrl(int port) {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode target : JSON.readTree(list.body())) {
                    if (target.path("type").asText().equals("page") && target.has("webSocketDebuggerUrl")) {
                        return target.get("webSocketDebuggerUrl").asText();
                    }
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("chromium listed no page target within " + START_LIMIT);
    }

    /** The browser's own output, for a failure message. */
    String log() {
        try {
            Path log = profile.resolveSibling(profile.getFileName() + ".log");
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no browser log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (page != null) {
            page.close();
        }
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly); // renderer, GPU and zygote helpers
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.shutdownNow();
        try {
            LocalClusterProcesses.deleteRecursively(profile);
            Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete the browser profile " + profile + ": " + e.getMessage()); // a temp dir left behind
        }
    }

    /** Sleeps, or fails the caller if interrupted. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
