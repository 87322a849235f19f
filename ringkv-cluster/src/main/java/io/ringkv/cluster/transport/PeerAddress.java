package io.ringkv.cluster.transport;

import java.util.Objects;

/** Where a peer's inter-node listener is: host (an IP literal, e.g. 127.0.0.2) and port. */
public record PeerAddress(String host, int port) {
    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }

    /** Parses "host:port". */
    public static PeerAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        }
        try {
            return new PeerAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + hostPort + "'", e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
