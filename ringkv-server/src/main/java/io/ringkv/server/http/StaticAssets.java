package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's files, shipped in the jar under {@code io/ringkv/server/dashboard/} and read once
 * when the server starts: plain HTML, CSS and JavaScript, no build step and nothing fetched from
 * elsewhere at run time. {@code /} is the page; the others are under {@code /dashboard/}.
 */
final class StaticAssets {
    private static final String RESOURCES = "/io/ringkv/server/dashboard/";
    /** Path served, file in the jar, content type. */
    private static final String[][] FILES = {
        {"/", "index.html", "text/html; charset=utf-8"},
        {"/dashboard/dashboard.css", "dashboard.css", "text/css; charset=utf-8"},
        {"/dashboard/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"},
    };

    private StaticAssets() {
    }

    /** Adds a GET route per file; a missing file is a broken build, so it fails the start. */
    static void register(Router router) {
        for (String[] file : FILES) {
            Reply reply = Reply.of(HttpResponseStatus.OK, file[2], read(file[1]))
                    // the page polls live data; a stale cached script after an upgrade would misread it
                    .withHeader("Cache-Control", "no-cache");
            router.exact(file[0], new Router.Route("dashboard", Map.of(HttpMethod.GET, Handler.answering(request -> reply)),
                    Router.Execution.EVENT_LOOP));
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + RESOURCES + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + name, e);
        }
    }
}
