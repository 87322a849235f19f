package io.ringkv.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.PeerUnavailableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dialing side of one connection: matches RESPONSE and ERROR frames to outstanding requests by
 * request id (responses may come in any order), and fails the connection's outstanding requests
 * with {@link PeerUnavailableException} when it closes.
 */
final class DialerHandler extends SimpleChannelInboundHandler<Frame> {
    private final PeerAddress peer;
    private final TransportStats stats;
    private final Map<Long, CompletableFuture<byte[]>> outstanding = new ConcurrentHashMap<>();
    private volatile boolean inactive;

    DialerHandler(PeerAddress peer, TransportStats stats) {
        this.peer = peer;
        this.stats = stats;
    }

    /** Tracks a request about to be written on this connection; false if the connection is already gone. */
    boolean track(long requestId, CompletableFuture<byte[]> caller) {
        outstanding.put(requestId, caller);
        caller.whenComplete((result, error) -> outstanding.remove(requestId, caller));
        if (inactive) { // closed between the caller's check and now: channelInactive may have missed it
            caller.completeExceptionally(new PeerUnavailableException("connection to " + peer + " lost", null));
            return false;
        }
        return true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        switch (frame.kind()) {
            case RESPONSE -> complete(frame, null);
            case ERROR -> {
                if (frame.payload().length < 2) {
                    ProtocolViolation.closeConnection(ctx, stats,
                            "ERROR payload of " + frame.payload().length + " bytes has no error code");
                    return;
                }
                stats.errorResponsesReceived.increment();
                complete(frame, ErrorCode.toException(frame.payload(), peer, frame.messageType()));
            }
            case HELLO, REQUEST -> ProtocolViolation.closeConnection(ctx, stats,
                    frame.kind() + " frame sent to the dialing side of a connection");
        }
    }

    private void complete(Frame frame, Exception failure) {
        CompletableFuture<byte[]> caller = outstanding.remove(frame.requestId());
        if (caller == null) {
            stats.lateResponses.increment(); // its request already timed out
        } else if (failure != null) {
            caller.completeExceptionally(failure);
        } else {
            caller.complete(frame.payload());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        inactive = true;
        for (CompletableFuture<byte[]> caller : outstanding.values()) {
            caller.completeExceptionally(new PeerUnavailableException("connection to " + peer + " lost", null));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.log(ctx, cause);
        ctx.close();
    }
}
