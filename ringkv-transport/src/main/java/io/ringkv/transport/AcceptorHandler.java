package io.ringkv.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport.RequestHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The accepting side of one connection (docs/design/wire-protocol.md, "Connections"): expects a
 * HELLO, then serves REQUESTs. Handlers run on the handler executor, never on the event loop; a
 * request whose deadline has passed before its handler starts is dropped unexecuted, and one whose
 * handler outlives the deadline is abandoned, so a hung handler cannot hold an in-flight slot.
 */
final class AcceptorHandler extends SimpleChannelInboundHandler<Frame> {
    private final IntFunction<RequestHandler> handlers;
    private final Executor handlerExecutor;
    private final LongSupplier nanoClock;
    private final TransportStats stats;
    private final int maxFrameBytes;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Consumer<PeerAddress> onHello;
    private PeerAddress peer; // from HELLO; touched only on the event loop

    /** @param onHello told the address of each peer that says HELLO: it is up, whatever our dial backoff says */
    AcceptorHandler(IntFunction<RequestHandler> handlers, Executor handlerExecutor, LongSupplier nanoClock,
                    TransportStats stats, int maxFrameBytes, int maxInFlight, Consumer<PeerAddress> onHello) {
        this.onHello = onHello;
        this.handlers = handlers;
        this.handlerExecutor = handlerExecutor;
        this.nanoClock = nanoClock;
        this.stats = stats;
        this.maxFrameBytes = maxFrameBytes;
        this.maxInFlight = maxInFlight;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        switch (frame.kind()) {
            case HELLO -> onHello(ctx, frame);
            case REQUEST -> onRequest(ctx, frame);
            case RESPONSE, ERROR -> ProtocolViolation.closeConnection(ctx, stats,
                    frame.kind() + " frame sent to the accepting side of a connection");
        }
    }

    private void onHello(ChannelHandlerContext ctx, Frame frame) {
        if (peer != null) {
            ProtocolViolation.closeConnection(ctx, stats, "second HELLO on one connection");
            return;
        }
        try {
            peer = Hello.decode(frame.payload());
        } catch (IllegalArgumentException e) {
            ProtocolViolation.closeConnection(ctx, stats, "malformed HELLO: " + e.getMessage());
            return;
        }
        onHello.accept(peer);
    }

    private void onRequest(ChannelHandlerContext ctx, Frame request) {
        if (peer == null) {
            ProtocolViolation.closeConnection(ctx, stats, "REQUEST before HELLO");
            return;
        }
        long deadlineNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(request.deadlineMillis());
        RequestHandler handler = handlers.apply(request.messageType());
        if (handler == null) {
            sendError(ctx, request, ErrorCode.UNKNOWN_MESSAGE_TYPE, "message type " + request.messageType());
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            sendError(ctx, request, ErrorCode.OVERLOADED, maxInFlight + " requests already running for this connection");
            return;
        }
        AtomicBoolean finished = new AtomicBoolean();
        Runnable release = () -> {
            if (finished.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        var abandon = ctx.executor().schedule(release, request.deadlineMillis(), TimeUnit.MILLISECONDS);
        PeerAddress from = peer;
        try {
            handlerExecutor.execute(() -> run(ctx, request, handler, from, deadlineNanos, release, abandon));
        } catch (RejectedExecutionException shuttingDown) {
            abandon.cancel(false);
            release.run();
        }
    }

    private void run(ChannelHandlerContext ctx, Frame request, RequestHandler handler, PeerAddress from,
                     long deadlineNanos, Runnable release, Future<?> abandon) {
        if (nanoClock.getAsLong() - deadlineNanos >= 0) {
            stats.expiredDropped.increment();
            abandon.cancel(false);
            release.run();
            return;
        }
        CompletableFuture<byte[]> outcome;
        try {
            outcome = Objects.requireNonNull(handler.handle(from, request.payload()), "handler returned null instead of a future");
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((payload, error) -> {
            // Answer from the event loop: writing from the handler's thread (a fresh virtual thread)
            // would cost a task for the write and one for cancelling the timer, and make Netty set
            // up its per-thread pools for that thread. One task does both.
            if (ctx.executor().inEventLoop()) {
                respond(ctx, request, deadlineNanos, release, abandon, payload, error);
            } else {
                try {
                    ctx.executor().execute(() -> respond(ctx, request, deadlineNanos, release, abandon, payload, error));
                } catch (RejectedExecutionException shuttingDown) {
                    release.run();
                }
            }
        });
    }

    private void respond(ChannelHandlerContext ctx, Frame request, long deadlineNanos, Runnable release, Future<?> abandon,
                         byte[] payload, Throwable error) {
        abandon.cancel(false);
        release.run();
        if (nanoClock.getAsLong() - deadlineNanos >= 0) {
            stats.expiredDropped.increment(); // the requester has given up; save the bytes
        } else if (error != null) {
            sendError(ctx, request, ErrorCode.HANDLER_FAILED, describe(error));
        } else if (payload == null) {
            sendError(ctx, request, ErrorCode.HANDLER_FAILED, "handler completed with a null payload");
        } else if (Frame.OVERHEAD_BYTES + (long) payload.length > maxFrameBytes) {
            sendError(ctx, request, ErrorCode.RESPONSE_TOO_LARGE,
                    payload.length + " payload bytes exceed maxFrameBytes " + maxFrameBytes);
        } else {
            ctx.writeAndFlush(Frame.response(request.requestId(), request.messageType(), payload));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.log(ctx, cause);
        ctx.close();
    }

    private void sendError(ChannelHandlerContext ctx, Frame request, ErrorCode code, String message) {
        stats.errorResponsesSent.increment();
        ctx.writeAndFlush(Frame.error(request.requestId(), request.messageType(), code, message));
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    }
}
