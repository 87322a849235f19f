package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Maps a path to its endpoint: exact paths plus one prefix ({@code /api/v1/kv/}). An unknown
 * path is 404; a known path with another method is 405 with an Allow header, both decided here.
 */
final class Router {
    /** Where a route's handlers are called. */
    enum Execution {
        /** On the event loop, outside the in-flight limit: cheap, never blocks, must answer under overload (health). */
        INLINE,
        /** On the event loop, within the in-flight limit: never blocks, its future completes later (the store's API). */
        EVENT_LOOP,
        /** On a virtual thread, within the in-flight limit: may block (metrics, cluster status). */
        WORKER
    }

    /**
     * @param endpoint  name used in metrics ("get", "put", "kv", ...)
     * @param execution where the handlers are called
     */
    record Route(String endpoint, Map<HttpMethod, Handler> handlers, Execution execution) {
        Route {
            handlers = Map.copyOf(handlers);
        }

        String allowHeader() {
            return handlers.keySet().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        }
    }

    private final Map<String, Route> exact = new LinkedHashMap<>();
    private final Map<String, Route> prefixes = new LinkedHashMap<>();

    Router exact(String path, Route route) {
        exact.put(path, route);
        return this;
    }

    Router prefix(String prefix, Route route) {
        prefixes.put(prefix, route);
        return this;
    }

    /** The route for {@code rawPath}, or null when no endpoint has that path. */
    Route match(String rawPath) {
        Route route = exact.get(rawPath);
        if (route != null) {
            return route;
        }
        for (var e : prefixes.entrySet()) {
            if (rawPath.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    List<String> paths() {
        return List.copyOf(exact.keySet());
    }
}
