package io.ringkv.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;

/** Turns a {@link Reply} into a Netty response with length, type (unless it has no content: a 304) and connection headers set. */
final class NettyReplies {
    private NettyReplies() {
    }

    static FullHttpResponse toResponse(Reply reply, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(reply.body()));
        var headers = response.headers();
        if (!reply.hasNoContent()) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        }
        reply.headers().forEach(headers::set);
        headers.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return response;
    }
}
