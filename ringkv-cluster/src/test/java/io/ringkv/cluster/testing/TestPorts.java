package io.ringkv.cluster.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the nodes a test starts, in this JVM or as processes: free when handed out, and
 * below the kernel's ephemeral range (ip_local_port_range: 32768 and up by default).
 *
 * <p>Why not bind(0): the kernel hands out a free port from the ephemeral range, and any
 * outgoing connection may take that port as its source port before the node binds it; the
 * nodes' own peer connections leave from 127.0.0.K, so the window is the whole start of a node.
 * CI failed on exactly that ("cannot listen on 127.0.0.2:43683: Address already in use"; a
 * node process that never started). Below 32768 no connection takes a port by chance. Each
 * port is handed out once per JVM, from a start that depends on the pid, so two builds side by
 * side rarely probe the same ports.
 */
public final class TestPorts {
    private static final int FIRST_PORT = 15_000;
    private static final int PORTS = 17_000; // up to 31999
    private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() * 97 % PORTS));

    private TestPorts() {
    }

    /** A port nobody listens on at {@code host} right now, not handed out before by this JVM. */
    public static int freePort(String host) {
        return on(List.of(host)).getFirst();
    }

    /** One free port per entry of {@code hosts} (a host may repeat), each free on its host, all different. */
    public static List<Integer> on(List<String> hosts) {
        List<ServerSocket> held = new ArrayList<>(); // bound until all are known: no port twice
        try {
            List<Integer> ports = new ArrayList<>();
            for (String host : hosts) {
                ServerSocket socket = bindNext(host);
                held.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } finally {
            held.forEach(TestPorts::closeQuietly);
        }
    }

    private static ServerSocket bindNext(String host) {
        for (int tries = 0; tries < 1_000; tries++) {
            int port = FIRST_PORT + Math.floorMod(NEXT.getAndIncrement(), PORTS);
            ServerSocket socket = null;
            try {
                socket = new ServerSocket();
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
                return socket;
            } catch (IOException taken) {
                closeQuietly(socket); // someone else's: try the next
            }
        }
        throw new UncheckedIOException(new IOException("no free port on " + host + " from " + FIRST_PORT));
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing was served on it
            }
        }
    }
}
