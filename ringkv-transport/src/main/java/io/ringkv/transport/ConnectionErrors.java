package io.ringkv.transport;

import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs an exception that ends one connection: I/O errors (peer reset) are routine, others are not. */
final class ConnectionErrors {
    private static final Logger log = LoggerFactory.getLogger(ConnectionErrors.class);

    private ConnectionErrors() {}

    static void log(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("inter-node connection {} -> {} failed: {}", ctx.channel().remoteAddress(),
                    ctx.channel().localAddress(), cause.toString());
        } else {
            log.warn("closing inter-node connection {} -> {} after unexpected error", ctx.channel().remoteAddress(),
                    ctx.channel().localAddress(), cause);
        }
    }
}
