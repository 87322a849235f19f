package io.ringkv.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringkv.cluster.transport.NotDeliveredException;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.PeerUnavailableException;
import io.ringkv.cluster.transport.TransportException;
import io.ringkv.cluster.transport.TransportTimeoutException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Everything this node keeps for one peer it sends to: a small pool of long-lived connections used
 * round-robin, the reconnect backoff, and the in-flight bound. Beyond the bound, or while the
 * chosen connection's write buffer is above its high watermark, a request fails at once with
 * {@link PeerUnavailableException} rather than queueing: the caller (a coordinator waiting for a
 * quorum) is better served by a fast "no" than by a queue that grows until the deadline.
 */
final class PeerConnections {
    private final PeerAddress peer;
    private final Bootstrap bootstrap;
    private final InetSocketAddress localBindAddress;
    private final byte[] helloPayload;
    private final EventLoopGroup timers;
    private final LongSupplier nanoClock;
    private final TransportStats stats;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<CompletableFuture<byte[]>> outstanding = ConcurrentHashMap.newKeySet();

    // Guarded by this.
    private final Channel[] channels;
    private final List<CompletableFuture<Channel>> dialing;
    private final Backoff backoff;
    private int nextSlot;
    private long dialAllowedAtNanos;
    private String lastConnectFailure = "";
    private boolean closed;

    PeerConnections(PeerAddress peer, Bootstrap bootstrap, InetSocketAddress localBindAddress, byte[] helloPayload,
                    EventLoopGroup timers, LongSupplier nanoClock, TransportStats stats, NettyTransportConfig config) {
        this.peer = peer;
        this.bootstrap = bootstrap;
        this.localBindAddress = localBindAddress;
        this.helloPayload = helloPayload;
        this.timers = timers;
        this.nanoClock = nanoClock;
        this.stats = stats;
        this.maxInFlight = config.maxInFlightPerPeer();
        this.channels = new Channel[config.connectionsPerPeer()];
        this.dialing = new ArrayList<>(Collections.nCopies(config.connectionsPerPeer(), null));
        this.backoff = new Backoff(config.reconnectBackoffInitialMillis(), config.reconnectBackoffMaxMillis());
        this.dialAllowedAtNanos = nanoClock.getAsLong();
    }

    CompletableFuture<byte[]> send(long requestId, int messageType, byte[] payload, long timeoutMillis) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            stats.rejectedBusy.increment();
            return CompletableFuture.failedFuture(new NotDeliveredException(
                    maxInFlight + " requests already in flight to " + peer, null));
        }
        long deadlineNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Request request = new Request(new CompletableFuture<>(), requestId, messageType, payload, timeoutMillis, deadlineNanos);
        outstanding.add(request.caller);
        request.caller.whenComplete((result, error) -> {
            inFlight.decrementAndGet();
            outstanding.remove(request.caller);
            request.cancelTimer();
        });
        CompletableFuture<Channel> channel = acquireChannel();
        if (channel.isDone() && !channel.isCompletedExceptionally()) {
            // The usual case, an open connection: one task on its event loop arms the timeout and
            // writes. Writing from the caller's thread instead costs a task for the write, another
            // for the timer and one for cancelling it, plus Netty's per-thread pools, which a
            // virtual thread per request initialises afresh every time.
            Channel open = channel.join();
            open.eventLoop().execute(() -> {
                request.armTimer(open.eventLoop());
                write(open, request);
            });
        } else {
            request.armTimer(timers.next()); // also bounds the wait for a dial
            channel.whenComplete((dialed, error) -> {
                if (error != null) {
                    request.caller.completeExceptionally(error);
                } else {
                    dialed.eventLoop().execute(() -> write(dialed, request));
                }
            });
        }
        return request.caller;
    }

    /** One request on its way: what to write, and the timer that fails it at its deadline. */
    private final class Request {
        final CompletableFuture<byte[]> caller;
        final long requestId;
        final int messageType;
        final byte[] payload;
        final long timeoutMillis;
        final long deadlineNanos;
        private volatile ScheduledFuture<?> timer;

        Request(CompletableFuture<byte[]> caller, long requestId, int messageType, byte[] payload, long timeoutMillis,
                long deadlineNanos) {
            this.caller = caller;
            this.requestId = requestId;
            this.messageType = messageType;
            this.payload = payload;
            this.timeoutMillis = timeoutMillis;
            this.deadlineNanos = deadlineNanos;
        }

        void armTimer(EventLoop loop) {
            if (caller.isDone()) {
                return;
            }
            long remainingNanos = Math.max(0, deadlineNanos - nanoClock.getAsLong());
            timer = loop.schedule(() -> {
                if (caller.completeExceptionally(new TransportTimeoutException("no response from " + peer
                        + " to message type " + messageType + " within " + timeoutMillis + " ms"))) {
                    stats.timeouts.increment();
                }
            }, remainingNanos, TimeUnit.NANOSECONDS);
            if (caller.isDone()) { // completed while arming: the whenComplete above may have missed the timer
                timer.cancel(false);
            }
        }

        void cancelTimer() {
            ScheduledFuture<?> armed = timer;
            if (armed != null) {
                armed.cancel(false);
            }
        }
    }

    /** On the channel's event loop. */
    private void write(Channel channel, Request request) {
        CompletableFuture<byte[]> caller = request.caller;
        if (caller.isDone()) {
            return; // timed out while connecting, or transport closed
        }
        if (!channel.isActive()) { // closed between acquiring it and this turn of its loop: not busy, gone
            caller.completeExceptionally(new NotDeliveredException("connection to " + peer + " lost before sending", null));
            return;
        }
        if (!channel.isWritable()) {
            stats.rejectedBusy.increment();
            caller.completeExceptionally(new NotDeliveredException(
                    "write buffer to " + peer + " is above its high watermark (peer reads too slowly)", null));
            return;
        }
        long remainingNanos = request.deadlineNanos - nanoClock.getAsLong();
        DialerHandler dialer = channel.pipeline().get(DialerHandler.class);
        if (remainingNanos <= 0 || dialer == null || !dialer.track(request.requestId, caller)) {
            caller.completeExceptionally(remainingNanos <= 0
                    ? new TransportTimeoutException("deadline passed while connecting to " + peer)
                    : new NotDeliveredException("connection to " + peer + " lost before sending", null));
            return;
        }
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos));
        channel.writeAndFlush(Frame.request(request.requestId, request.messageType, remainingMillis, request.payload))
                .addListener(written -> {
                    if (!written.isSuccess()) {
                        caller.completeExceptionally(new PeerUnavailableException("write to " + peer + " failed", written.cause()));
                    }
                });
    }

    /** An open connection, one being dialed, or a fast failure while the backoff lasts. */
    private synchronized CompletableFuture<Channel> acquireChannel() {
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException("transport closed"));
        }
        int slot = nextSlot;
        nextSlot = (nextSlot + 1) % channels.length;
        CompletableFuture<Channel> dial = dialing.get(slot);
        if (!isActive(channels[slot]) && dial == null && nanoClock.getAsLong() - dialAllowedAtNanos >= 0) {
            dial = dial(slot);
        }
        for (int i = 0; i < channels.length; i++) { // prefer any open connection over waiting for a dial
            Channel candidate = channels[(slot + i) % channels.length];
            if (isActive(candidate)) {
                return CompletableFuture.completedFuture(candidate);
            }
        }
        if (dial != null) {
            return dial;
        }
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(dialAllowedAtNanos - nanoClock.getAsLong());
        return CompletableFuture.failedFuture(new NotDeliveredException("not dialing " + peer + " for another "
                + waitMillis + " ms after a failed connect: " + lastConnectFailure, null));
    }

    private CompletableFuture<Channel> dial(int slot) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        dialing.set(slot, result);
        ChannelFuture connect = bootstrap.connect(new InetSocketAddress(peer.host(), peer.port()), localBindAddress);
        // Runs on the channel's event loop, so the HELLO is written before any request can be.
        connect.addListener(done -> onDialed(slot, connect, result));
        return result;
    }

    private void onDialed(int slot, ChannelFuture connect, CompletableFuture<Channel> result) {
        Exception failure = null;
        synchronized (this) {
            dialing.set(slot, null);
            if (closed) {
                connect.channel().close();
                failure = new TransportException("transport closed");
            } else if (connect.isSuccess()) {
                connect.channel().writeAndFlush(Frame.hello(helloPayload));
                channels[slot] = connect.channel();
                backoff.onSuccess();
                stats.connectionsOpened.increment();
            } else {
                stats.connectFailures.increment();
                lastConnectFailure = String.valueOf(connect.cause());
                dialAllowedAtNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(backoff.onFailureMillis());
                failure = new NotDeliveredException("cannot connect to " + peer + " from " + localBindAddress.getAddress()
                        + ": " + connect.cause(), connect.cause());
            }
        }
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(connect.channel());
        }
    }

    /**
     * The peer just connected to us, so it is listening again (typically: it restarted while we
     * were backing off after failed dials). Dial at the next request instead of failing requests
     * fast until the backoff runs out.
     */
    synchronized void peerIsListening() {
        backoff.onSuccess();
        dialAllowedAtNanos = nanoClock.getAsLong();
    }

    private static boolean isActive(Channel channel) {
        return channel != null && channel.isActive();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Fails every outstanding request with {@link TransportException} and closes the connections. */
    void close() {
        List<Channel> open = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Channel channel : channels) {
                if (channel != null) {
                    open.add(channel);
                }
            }
        }
        for (CompletableFuture<byte[]> caller : List.copyOf(outstanding)) {
            caller.completeExceptionally(new TransportException("transport closed"));
        }
        open.forEach(Channel::close);
    }
}
