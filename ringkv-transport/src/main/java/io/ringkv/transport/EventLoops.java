package io.ringkv.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop groups and channel classes of one transport: native epoll when the optional
 * netty-transport-native-epoll jar is present and loads on this OS, NIO otherwise. Epoll classes
 * are only touched inside {@link EpollChannels}, so a classpath without them still works.
 */
record EventLoops(EventLoopGroup acceptGroup, EventLoopGroup ioGroup,
                  Class<? extends ServerSocketChannel> serverChannelClass,
                  Class<? extends SocketChannel> channelClass, boolean epoll) {
    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

    static EventLoops create(boolean preferEpoll, int ioThreads, String namePrefix) {
        if (preferEpoll && EpollChannels.available()) {
            return EpollChannels.create(ioThreads, namePrefix);
        }
        log.debug("inter-node transport {} uses NIO (epoll preferred: {})", namePrefix, preferEpoll);
        return new EventLoops(
                new NioEventLoopGroup(1, new DefaultThreadFactory(namePrefix + "-accept", true)),
                new NioEventLoopGroup(ioThreads, new DefaultThreadFactory(namePrefix + "-io", true)),
                NioServerSocketChannel.class, NioSocketChannel.class, false);
    }

    /** Shuts both groups down, waiting up to {@code timeoutMillis} for their threads to end. */
    void shutdown(long timeoutMillis) {
        var accept = acceptGroup.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS);
        var io = ioGroup.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS);
        accept.awaitUninterruptibly(timeoutMillis);
        io.awaitUninterruptibly(timeoutMillis);
    }
}
