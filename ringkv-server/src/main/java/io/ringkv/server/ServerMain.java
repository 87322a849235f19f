package io.ringkv.server;

import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node in the foreground until the JVM is asked to stop (SIGTERM, SIGINT): the
 * shutdown hook closes HTTP, then the store. Writes nothing to stdout; problems that stop the
 * node from starting are one line on {@code err}.
 */
public final class ServerMain {
    /** Exit status for a configuration that cannot be used. */
    public static final int EXIT_BAD_CONFIG = 2;
    /** Exit status for a node that could not start (port taken, store unreadable...). */
    public static final int EXIT_START_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    private ServerMain() {
    }

    /** Blocks until shutdown; returns the exit status (0 after a clean stop). */
    public static int run(Path configFile, PrintWriter err) {
        NodeConfig config;
        try {
            config = NodeConfigLoader.load(configFile);
        } catch (ConfigException e) {
            err.println("ringkv: " + configFile + ": " + e.getMessage());
            err.flush();
            return EXIT_BAD_CONFIG;
        }
        RingkvNode node;
        try {
            node = RingkvNode.start(config);
        } catch (RuntimeException e) {
            log.error("node {} could not start", config.nodeId(), e);
            err.println("ringkv: node " + config.nodeId() + " could not start: " + e.getMessage());
            err.flush();
            return EXIT_START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down node {}", config.nodeId());
            try {
                node.close();
            } finally {
                stopped.countDown();
            }
        }, "ringkv-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
