package io.ringkv.server;

import io.netty.util.ResourceLeakDetector;
import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.MemoryOverrides;
import io.ringkv.server.config.JvmMemoryOptions;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node in the foreground until the JVM is asked to stop (SIGTERM, SIGINT): the
 * shutdown hook closes the node (HTTP first, the store last). Problems that stop the node from
 * starting are one line on {@code err}. When the node is ready it logs one line containing
 * {@value #READY_MARKER} with its HTTP and peer addresses.
 *
 * <p>Two ways in: {@code bin/ringkv server --config FILE} (logs on stderr, like every CLI
 * command), and {@code java -cp <classpath> io.ringkv.server.ServerMain --config FILE} for
 * harnesses that run nodes as plain processes (logs on stdout).
 */
public final class ServerMain {
    /** Exit status for a configuration that cannot be used. */
    public static final int EXIT_BAD_CONFIG = 2;
    /** Exit status for a node that could not start (port taken, store unreadable...). */
    public static final int EXIT_START_FAILED = 1;

    /** Appears in the one log line that says the node serves (HTTP bound, gossip running). */
    public static final String READY_MARKER = "ready: serving HTTP on";
    /** Logback reads it (logback.xml) to pick the console stream; main sets it before any logger exists. */
    static final String LOG_TARGET_PROPERTY = "ringkv.log.target";
    private static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    /** Set when the node stopped because it was decommissioned (not by a signal): main then ends the JVM. */
    private static volatile boolean decommissioned;

    private ServerMain() {
    }

    /** Looked up when first needed, so that {@link #main} can choose the log stream first. */
    private static Logger log() {
        return LoggerFactory.getLogger(ServerMain.class);
    }

    /**
     * {@code ServerMain --config FILE}: runs the node with logs on stdout; exits 2 on a bad
     * configuration or usage, 1 if the node cannot start. SIGTERM stops it cleanly (the JVM then
     * exits with 143, as for any SIGTERM). A node decommissioned ({@code bin/ringkv admin decommission})
     * stops by itself once it has left, with status 0.
     */
    public static void main(String[] args) {
        Path configFile = null;
        if (args.length == 2 && args[0].equals("--config")) {
            configFile = Path.of(args[1]);
        } else if (args.length == 1 && args[0].startsWith("--config=")) {
            configFile = Path.of(args[0].substring("--config=".length()));
        }
        if (configFile == null) {
            System.err.println("usage: java -cp <classpath> " + ServerMain.class.getName() + " --config FILE");
            System.exit(EXIT_BAD_CONFIG);
        }
        if (System.getProperty(LOG_TARGET_PROPERTY) == null) {
            System.setProperty(LOG_TARGET_PROPERTY, "System.out");
        }
        int status = run(configFile, new PrintWriter(System.err, true));
        if (status != 0 || decommissioned) {
            System.exit(status); // after a clean stop by a signal the JVM is already exiting: nothing to do
        }
    }

    /** Blocks until shutdown; returns the exit status (0 after a clean stop). */
    public static int run(Path configFile, PrintWriter err) {
        return run(configFile, MemoryOverrides.NONE, err);
    }

    /**
     * As {@link #run(Path, PrintWriter)}, with the command line's memory settings ({@code --memory},
     * {@code --heap}); the {@code -Xmx} this JVM was started with wins over {@code --heap}, being the heap
     * it has (the launchers give every node one, from the same plan).
     */
    public static int run(Path configFile, MemoryOverrides commandLine, PrintWriter err) {
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            // A server does not pay for leak tracing (a stack trace at every touch of a sampled
            // buffer, ~1 % of an event loop's time under load); tests keep Netty's default, and an
            // operator chasing a leak sets -Dio.netty.leakDetection.level=paranoid.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        NodeConfig config;
        OptionalLong jvmHeap = RunningJvm.explicitMaxHeapBytes();
        try {
            config = NodeConfigLoader.load(configFile, jvmHeap.isEmpty() ? commandLine
                    : new MemoryOverrides(commandLine.memoryBytes(), jvmHeap, "-Xmx" + JvmMemoryOptions.format(jvmHeap.getAsLong())));
        } catch (ConfigException e) {
            err.println("ringkv: " + configFile + ": " + e.getMessage());
            err.flush();
            return EXIT_BAD_CONFIG;
        }
        log().info("node {} {}; {} collector", config.nodeId(), config.memory().describe(), RunningJvm.collector());
        if (jvmHeap.isEmpty()) {
            log().warn("this JVM was started without -Xmx, so its heap ({} MiB) is the JVM's choice, not the {} MiB of the memory"
                    + " plan; start nodes with bin/ringkv, or give the JVM the options that"
                    + " 'bin/ringkv server --jvm-options --config FILE' prints", Runtime.getRuntime().maxMemory() >> 20,
                    config.memory().heapBytes() >> 20);
        }
        RingkvNode node;
        try {
            node = RingkvNode.start(config);
        } catch (RuntimeException e) {
            log().error("node {} could not start", config.nodeId(), e);
            err.println("ringkv: node " + config.nodeId() + " could not start: " + e.getMessage());
            err.flush();
            return EXIT_START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log().info("shutting down node {}", config.nodeId());
            try {
                node.close();
            } finally {
                stopped.countDown();
            }
        }, "ringkv-shutdown"));
        node.left().thenRun(() -> {
            log().info("node {} was decommissioned and left the cluster: stopping", config.nodeId());
            decommissioned = true;
            try {
                node.close();
            } finally {
                stopped.countDown();
            }
        });
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
