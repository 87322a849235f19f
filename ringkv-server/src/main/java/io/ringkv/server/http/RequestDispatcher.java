package io.ringkv.server.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.ringkv.cluster.api.KvService;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * One per connection: routes each request, calls its handler where the route says (on this event
 * loop for handlers that never block, on the worker executor for the others), and writes replies
 * in request order, on this event loop, whichever thread completed them. Two bounds keep a busy
 * node responsive: a node-wide limit on requests in flight (beyond it: 503 at once, nothing queued),
 * and per connection one request served at a time with at most {@link #MAX_PIPELINED} pipelined
 * requests waiting (beyond it the connection is closed; reads pause while requests wait). Reads are
 * not paused for a lone request: turning them off and on costs two epoll_ctl calls per request,
 * and a client that sends one request at a time never needs it.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final int MAX_PIPELINED = 16;

    private record Pending(ApiRequest request, boolean keepAlive, long startNanos, DecoderResult decoded) {
    }

    private final Router router;
    private final Semaphore inFlight;
    private final Executor workers;
    private final HttpMetrics metrics;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean busy;

    RequestDispatcher(Router router, Semaphore inFlight, Executor workers, HttpMetrics metrics) {
        this.router = router;
        this.inFlight = inFlight;
        this.workers = workers;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        QueryStringDecoder uri = new QueryStringDecoder(msg.uri());
        ApiRequest request = new ApiRequest(msg.method(), uri.rawPath(), uri.parameters(), msg.headers().copy(),
                ByteBufUtil.getBytes(msg.content()));
        Pending pending = new Pending(request, HttpUtil.isKeepAlive(msg), System.nanoTime(), msg.decoderResult());
        if (!busy) {
            serve(ctx, pending);
        } else if (waiting.size() < MAX_PIPELINED) {
            waiting.add(pending);
            ctx.channel().config().setAutoRead(false);
        } else {
            metrics.rejected("pipeline_full");
            ctx.close();
        }
    }

    private void serve(ChannelHandlerContext ctx, Pending pending) {
        busy = true;
        if (pending.decoded().isFailure()) {
            finish(ctx, pending, "invalid", decoderError(pending.decoded().cause()), true);
            return;
        }
        ApiRequest request = pending.request();
        Router.Route route = router.match(request.rawPath());
        if (route == null) {
            finish(ctx, pending, "unknown", ErrorMapping.error(HttpResponseStatus.NOT_FOUND, "no_route",
                    "no endpoint at " + request.rawPath() + " (endpoints: " + String.join(", ", router.paths())
                            + ", " + RawKvHandler.PREFIX + "{key})"), false);
            return;
        }
        Handler handler = route.handlers().get(request.method());
        if (handler == null) {
            Reply reply = ErrorMapping.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    request.method() + " is not allowed on " + request.rawPath() + "; use " + route.allowHeader())
                    .withHeader(HttpHeaderNames.ALLOW.toString(), route.allowHeader());
            finish(ctx, pending, route.endpoint(), reply, false);
            return;
        }
        if (route.execution() != Router.Execution.INLINE && !inFlight.tryAcquire()) {
            metrics.rejected("overloaded");
            finish(ctx, pending, route.endpoint(), ErrorMapping.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                    "too many requests in flight; retry later"), false);
            return;
        }
        CompletableFuture<Reply> answer;
        if (route.execution() == Router.Execution.WORKER) {
            try {
                answer = CompletableFuture.supplyAsync(() -> call(handler, request), workers).thenCompose(reply -> reply);
            } catch (RejectedExecutionException e) {
                inFlight.release();
                finish(ctx, pending, route.endpoint(), ErrorMapping.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "stopping",
                        "the server is shutting down"), true);
                return;
            }
        } else {
            answer = call(handler, request);
        }
        answer.whenComplete((reply, failure) -> {
            if (route.execution() != Router.Execution.INLINE) {
                inFlight.release();
            }
            Reply done = failure == null ? reply : ErrorMapping.toReply(KvService.unwrap(failure));
            if (ctx.executor().inEventLoop()) {
                finish(ctx, pending, route.endpoint(), done, false);
                return;
            }
            try {
                ctx.executor().execute(() -> finish(ctx, pending, route.endpoint(), done, false));
            } catch (RejectedExecutionException e) {
                ctx.channel().close(); // the event loop is shutting down
            }
        });
    }

    /** The handler's future; a throw (a validation error, usually) becomes the error reply at once. */
    private static CompletableFuture<Reply> call(Handler handler, ApiRequest request) {
        try {
            return handler.handle(request);
        } catch (RuntimeException | Error e) {
            return CompletableFuture.completedFuture(ErrorMapping.toReply(e));
        }
    }

    private void finish(ChannelHandlerContext ctx, Pending pending, String endpoint, Reply reply, boolean forceClose) {
        metrics.record(endpoint, pending.request().method().name(), reply.status().code(), System.nanoTime() - pending.startNanos());
        boolean keepAlive = pending.keepAlive() && !forceClose && ctx.channel().isActive();
        var response = NettyReplies.toResponse(reply, keepAlive);
        if (!keepAlive) {
            waiting.clear();
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(response);
        busy = false;
        Pending next = waiting.poll();
        if (next != null) {
            serve(ctx, next);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static Reply decoderError(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ErrorMapping.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long", "request line is too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return ErrorMapping.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
                    "request headers are too large");
        }
        if (cause instanceof TooLongFrameException) {
            return ErrorMapping.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large", cause.getMessage());
        }
        return ErrorMapping.error(HttpResponseStatus.BAD_REQUEST, "malformed_http",
                "malformed HTTP request: " + (cause == null ? "unknown" : cause.getMessage()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
