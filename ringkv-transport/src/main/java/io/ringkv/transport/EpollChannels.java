package io.ringkv.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The only class that names epoll types; loaded only when epoll is wanted. */
final class EpollChannels {
    private EpollChannels() {}

    static boolean available() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError missingJar) {
            return false;
        }
    }

    static EventLoops create(int ioThreads, String namePrefix) {
        return new EventLoops(
                new EpollEventLoopGroup(1, new DefaultThreadFactory(namePrefix + "-accept", true)),
                new EpollEventLoopGroup(ioThreads, new DefaultThreadFactory(namePrefix + "-io", true)),
                EpollServerSocketChannel.class, EpollSocketChannel.class, true);
    }
}
