package io.ringkv.transport;

import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a peer breaks docs/design/wire-protocol.md: that one connection is closed,
 * with a WARN naming the peer and the reason, and counted. Nothing else is touched, so a stranger
 * sending garbage cannot take the node down or disturb other connections.
 */
final class ProtocolViolation {
    private static final Logger log = LoggerFactory.getLogger(ProtocolViolation.class);

    private ProtocolViolation() {}

    static void closeConnection(ChannelHandlerContext ctx, TransportStats stats, String reason) {
        log.warn("closing inter-node connection {} -> {}: protocol violation: {}",
                ctx.channel().remoteAddress(), ctx.channel().localAddress(), reason);
        stats.protocolViolations.increment();
        ctx.close();
    }
}
