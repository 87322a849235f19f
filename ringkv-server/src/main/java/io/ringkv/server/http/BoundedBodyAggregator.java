package io.ringkv.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Netty's aggregator with a hard body cap, answering an oversized body with our JSON 413 and
 * closing the connection. Netty stops buffering as soon as the declared Content-Length (or the
 * chunks received so far) pass the cap, so a huge body is never held in memory.
 */
final class BoundedBodyAggregator extends HttpObjectAggregator {
    private final HttpMetrics metrics;

    BoundedBodyAggregator(int maxBodyBytes, HttpMetrics metrics) {
        super(maxBodyBytes);
        this.metrics = metrics;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        metrics.rejected("body_too_large");
        Reply reply = ErrorMapping.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "request body is larger than the " + maxContentLength() + " byte limit");
        ctx.writeAndFlush(NettyReplies.toResponse(reply, false)).addListener(ChannelFutureListener.CLOSE);
    }
}
