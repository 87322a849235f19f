package io.ringkv.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server (the JDK's) that gives every request one canned answer, for the
 * answers a single real node cannot produce (503 quorum_not_met needs a cluster) and for
 * framing the real node does not use (chunked bodies). Records the request targets it saw.
 */
final class StubNode implements AutoCloseable {
    private final HttpServer server;
    private final List<String> targets = new CopyOnWriteArrayList<>();

    private StubNode(int status, String contentType, String body, boolean chunked) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> answer(exchange, status, contentType, body, chunked));
        server.start();
    }

    static StubNode answering(int status, String jsonBody) {
        return new StubNode(status, "application/json", jsonBody, false);
    }

    static StubNode answeringChunked(int status, String contentType, String body) {
        return new StubNode(status, contentType, body, true);
    }

    private void answer(HttpExchange exchange, int status, String contentType, String body, boolean chunked)
            throws IOException {
        targets.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<String> targets() {
        return targets;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
