package io.ringkv.dist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on 127.0.0.1 in 9600-9699, the range this project's tests may use on shared build
 * machines, from a random start so builds side by side rarely try the same ones. Every socket
 * stays bound until all are found, so one call never returns a port twice.
 */
final class TestPorts {
    static final int FIRST = 9600;
    static final int COUNT = 100;

    private TestPorts() {
    }

    static List<Integer> free(int howMany) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        int start = ThreadLocalRandom.current().nextInt(COUNT);
        try {
            for (int i = 0; i < COUNT && ports.size() < howMany; i++) {
                int port = FIRST + (start + i) % COUNT;
                ServerSocket socket = new ServerSocket();
                try {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    held.add(socket);
                    ports.add(port);
                } catch (IOException taken) {
                    socket.close();
                }
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        if (ports.size() < howMany) {
            throw new IOException("only " + ports.size() + " of " + howMany + " ports free in " + FIRST + "-" + (FIRST + COUNT - 1));
        }
        return ports;
    }
}
