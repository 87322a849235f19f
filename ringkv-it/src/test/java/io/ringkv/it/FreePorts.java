package io.ringkv.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports the operating system reports free right now, so that builds running side by side never
 * pick the same fixed port. Every socket stays bound until all requested ports are known, so one
 * call never hands out the same port twice. A port can still be taken between this call and
 * the node binding it; the node then fails to start with a clear error in its log.
 */
final class FreePorts {
    private FreePorts() {
    }

    /** One free port per entry of {@code hosts}, each free on that host. */
    static List<Integer> on(List<String> hosts) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (String host : hosts) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on " + hosts + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing was served on it
                }
            }
        }
    }
}
