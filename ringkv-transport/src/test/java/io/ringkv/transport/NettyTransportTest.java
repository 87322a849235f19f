package io.ringkv.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.PeerUnavailableException;
import io.ringkv.cluster.transport.RemoteHandlerException;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.cluster.transport.TransportException;
import io.ringkv.cluster.transport.TransportTimeoutException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NettyTransport over real loopback sockets. Nodes live on distinct loopback addresses
 * (127.0.0.2, 127.0.0.3: Linux routes all of 127/8 to lo) when the OS allows binding them, so the
 * tests also see which source address outgoing connections use.
 */
class NettyTransportTest {
    static final int ECHO = 1;
    static final int NEVER = 2;
    static final int FAIL = 3;
    static final int SLOW = 4;
    static final String HOST_A = loopbackOrDefault("127.0.0.2");
    static final String HOST_B = loopbackOrDefault("127.0.0.3");

    final List<AutoCloseable> toClose = new ArrayList<>();
    final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    NettyTransport a;
    NettyTransport b;
    final AtomicReference<PeerAddress> lastSenderSeenByB = new AtomicReference<>();

    @BeforeEach
    void setUp() throws IOException {
        a = start(HOST_A, c -> c);
        b = start(HOST_B, c -> c);
        registerHandlers(b);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        delays.shutdownNow();
    }

    void registerHandlers(Transport node) {
        node.register(ECHO, (from, payload) -> {
            lastSenderSeenByB.set(from);
            return CompletableFuture.completedFuture(payload);
        });
        node.register(NEVER, (from, payload) -> new CompletableFuture<>());
        node.register(FAIL, (from, payload) -> CompletableFuture.failedFuture(new IllegalStateException("disk full")));
        // Answers after a delay that depends on the payload, so responses come back out of order.
        node.register(SLOW, (from, payload) -> {
            CompletableFuture<byte[]> later = new CompletableFuture<>();
            delays.schedule(() -> later.complete(payload), (payload[payload.length - 1] & 0x7) * 3L, TimeUnit.MILLISECONDS);
            return later;
        });
    }

    NettyTransport start(String host, UnaryOperator<NettyTransportConfig> tweak) throws IOException {
        return start(new PeerAddress(host, freePort(host)), tweak, null);
    }

    NettyTransport start(PeerAddress address, UnaryOperator<NettyTransportConfig> tweak, Executor executor) {
        NettyTransportConfig config = tweak.apply(NettyTransportConfig.defaults(address)
                .withEventLoopThreads(1)
                .withReconnectBackoffMillis(20, 100));
        NettyTransport transport = new NettyTransport(config, executor, System::nanoTime);
        toClose.add(transport);
        transport.start();
        return transport;
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static Throwable failureOf(CompletableFuture<byte[]> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected the request to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("request neither completed nor failed in 10 s", e);
        }
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5); // polling for an async effect, not waiting for time to pass
        }
    }

    @Test
    void requestAndResponseRoundTripWithTheSendersListenAddress() throws Exception {
        byte[] response = a.request(b.localAddress(), ECHO, bytes("hello"), 5000).get(10, TimeUnit.SECONDS);
        assertThat(response).asString(UTF_8).isEqualTo("hello");
        assertThat(lastSenderSeenByB.get()).isEqualTo(a.localAddress());
        assertThat(a.stats().framesOut()).isEqualTo(2); // HELLO + REQUEST
        assertThat(b.stats().framesIn()).isEqualTo(2);
        assertThat(a.stats().bytesOut()).isEqualTo(b.stats().bytesIn());
    }

    @Test
    void manyConcurrentRequestsShareOnePooledConnectionAndGetTheirOwnResponses() throws Exception {
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            futures.add(a.request(b.localAddress(), SLOW, bytes("request-" + i), 10_000));
        }
        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("request-" + i);
        }
        assertThat(a.stats().connectionsOpened()).isEqualTo(1);
    }

    @Test
    void handlerThatNeverAnswersTimesOutNearTheDeadline() throws Exception {
        long startNanos = System.nanoTime();
        Throwable failure = failureOf(a.request(b.localAddress(), NEVER, bytes("x"), 200));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertThat(failure).isInstanceOf(TransportTimeoutException.class).hasMessageContaining("200 ms");
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(190);
        eventually("timeout counted", () -> a.stats().timeouts() == 1); // counted just after the future fails
    }

    @Test
    void requestsWhoseDeadlinePassedBeforeTheHandlerCouldStartAreNotExecuted() throws Exception {
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        toClose.add(oneThread::shutdownNow);
        NettyTransport c = start(new PeerAddress(HOST_B, freePort(HOST_B)), cfg -> cfg, oneThread);
        AtomicInteger executed = new AtomicInteger();
        c.register(ECHO, (from, payload) -> {
            executed.incrementAndGet();
            return CompletableFuture.completedFuture(payload);
        });
        // Connected first: on a busy machine a dial can outlast the 100 ms below, and a request
        // whose deadline passes while connecting is never sent, so the receiver would drop nothing.
        assertThat(a.request(c.localAddress(), ECHO, bytes("warm"), 10_000).get(10, TimeUnit.SECONDS)).isEqualTo(bytes("warm"));
        CountDownLatch unblock = new CountDownLatch(1);
        oneThread.execute(() -> awaitQuietly(unblock)); // the handler executor is busy

        assertThat(failureOf(a.request(c.localAddress(), ECHO, bytes("x"), 100))).isInstanceOf(TransportTimeoutException.class)
                .hasMessageNotContaining("while connecting");
        unblock.countDown();
        eventually("receiver drops the expired request", () -> c.stats().expiredDropped() == 1);
        assertThat(executed).as("only the warm-up ran").hasValue(1);
    }

    @Test
    void unreachablePeerFailsFastAndBackoffAvoidsRedialing() throws Exception {
        PeerAddress nobody = new PeerAddress(HOST_B, freePort(HOST_B));
        long startNanos = System.nanoTime();
        Throwable first = failureOf(a.request(nobody, ECHO, bytes("x"), 30_000));
        assertThat(first).isInstanceOf(PeerUnavailableException.class).hasMessageContaining("cannot connect to " + nobody);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos)).isLessThan(5);
        Throwable second = failureOf(a.request(nobody, ECHO, bytes("x"), 30_000));
        assertThat(second).isInstanceOf(PeerUnavailableException.class);
        assertThat(a.stats().connectFailures()).isBetween(1L, 2L); // at most one more dial if the 20 ms backoff ran out
    }

    @Test
    void aPeerThatConnectsToUsEndsOurDialBackoffAtOnce() throws Exception {
        PeerAddress address = new PeerAddress(HOST_B, freePort(HOST_B));
        NettyTransport patient = start(new PeerAddress(HOST_A, freePort(HOST_A)), cfg -> cfg.withReconnectBackoffMillis(60_000, 60_000), null);
        registerHandlers(patient);
        assertThat(failureOf(patient.request(address, ECHO, bytes("x"), 5000))).isInstanceOf(PeerUnavailableException.class);
        assertThat(failureOf(patient.request(address, ECHO, bytes("x"), 5000))).hasMessageContaining("not dialing");

        // The peer comes up (a restart) and talks to us first, as gossip does: we must not wait a minute to answer it back.
        NettyTransport restarted = start(address, cfg -> cfg, null);
        registerHandlers(restarted);
        assertThat(restarted.request(patient.localAddress(), ECHO, bytes("hi"), 5000).get(10, TimeUnit.SECONDS)).hasSize(2);

        assertThat(patient.request(address, ECHO, bytes("back"), 5000).get(10, TimeUnit.SECONDS)).hasSize(4);
    }

    @Test
    void peerRestartIsFollowedByAReconnect() throws Exception {
        assertThat(a.request(b.localAddress(), ECHO, bytes("before"), 5000).get(10, TimeUnit.SECONDS)).isNotEmpty();
        CompletableFuture<byte[]> cutOff = a.request(b.localAddress(), NEVER, bytes("x"), 10_000);
        PeerAddress address = b.localAddress();
        b.close();
        assertThat(failureOf(cutOff)).isInstanceOf(PeerUnavailableException.class).hasMessageContaining("lost");

        NettyTransport restarted = start(address, cfg -> cfg, null);
        registerHandlers(restarted);
        eventually("a reconnects to the restarted peer", () -> {
            try {
                return a.request(address, ECHO, bytes("after"), 1000).get(5, TimeUnit.SECONDS).length == 5;
            } catch (Exception stillDown) {
                return false;
            }
        });
        assertThat(a.stats().connectionsOpened()).isEqualTo(2);
    }

    @Test
    void inFlightBeyondTheBoundFailsFastInsteadOfQueueing() throws Exception {
        NettyTransport small = start(HOST_A, cfg -> cfg.withMaxInFlight(4, 1024));
        List<CompletableFuture<byte[]>> hanging = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hanging.add(small.request(b.localAddress(), NEVER, bytes("x"), 10_000));
        }
        CompletableFuture<byte[]> fifth = small.request(b.localAddress(), ECHO, bytes("x"), 10_000);
        assertThat(fifth).isCompletedExceptionally(); // at once, not after a wait
        assertThat(failureOf(fifth)).isInstanceOf(PeerUnavailableException.class).hasMessageContaining("4 requests already in flight");
        assertThat(small.stats().rejectedBusy()).isEqualTo(1);
        assertThat(hanging).allMatch(f -> !f.isDone());
    }

    @Test
    void peerThatStopsReadingMakesRequestsFailFastOnceTheWriteBufferIsFull() throws Exception {
        NettyTransport sender = start(HOST_A, cfg -> cfg.withWriteBufferWaterMarkBytes(32 * 1024, 64 * 1024));
        try (ServerSocket silentPeer = new ServerSocket()) {
            silentPeer.setReceiveBufferSize(4096);
            silentPeer.bind(new InetSocketAddress(HOST_B, 0));
            PeerAddress silent = new PeerAddress(HOST_B, silentPeer.getLocalPort());
            byte[] payload = new byte[256 * 1024];
            try (Socket accepted = acceptLater(silentPeer, sender.request(silent, ECHO, payload, 30_000))) {
                // Kernel buffers absorb a few MiB first; after that the channel stays unwritable.
                Throwable rejected = null;
                for (int i = 0; i < 400 && rejected == null; i++) {
                    CompletableFuture<byte[]> next = sender.request(silent, ECHO, payload, 30_000);
                    if (next.isCompletedExceptionally()) {
                        rejected = failureOf(next);
                    } else {
                        Thread.sleep(2); // let the event loop move bytes into the kernel
                    }
                }
                assertThat(rejected).isInstanceOf(PeerUnavailableException.class).hasMessageContaining("high watermark");
                assertThat(sender.stats().rejectedBusy()).isPositive();
            }
        }
    }

    private static Socket acceptLater(ServerSocket server, CompletableFuture<byte[]> firstRequest) throws IOException {
        server.setSoTimeout(5000);
        Socket accepted = server.accept(); // and never read from
        assertThat(firstRequest).isNotDone();
        return accepted;
    }

    @Test
    void acceptorBeyondItsPerConnectionBoundAnswersOverloaded() throws Exception {
        NettyTransport strict = start(HOST_B, cfg -> cfg.withMaxInFlight(1024, 2));
        registerHandlers(strict);
        a.request(strict.localAddress(), NEVER, bytes("x"), 10_000);
        a.request(strict.localAddress(), NEVER, bytes("x"), 10_000);
        eventually("two requests running at the acceptor", () -> strict.stats().framesIn() == 3); // HELLO + 2
        Throwable third = failureOf(a.request(strict.localAddress(), NEVER, bytes("x"), 10_000));
        assertThat(third).isInstanceOf(PeerUnavailableException.class).hasMessageContaining("overloaded");
    }

    @Test
    void unknownMessageTypeAndFailingHandlerGiveRemoteHandlerExceptionOnAConnectionThatStaysUp() throws Exception {
        assertThat(failureOf(a.request(b.localAddress(), 999, bytes("x"), 5000)))
                .isInstanceOf(RemoteHandlerException.class).hasMessageContaining("999");
        assertThat(failureOf(a.request(b.localAddress(), FAIL, bytes("x"), 5000)))
                .isInstanceOf(RemoteHandlerException.class).hasMessage("disk full");
        assertThat(a.request(b.localAddress(), ECHO, bytes("ok"), 5000).get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("ok");
        assertThat(a.stats().connectionsOpened()).isEqualTo(1);
        assertThat(b.stats().errorResponsesSent()).isEqualTo(2);
        assertThat(b.stats().protocolViolations()).isZero();
    }

    @Test
    void oversizedRequestPayloadIsRefusedBeforeSending() throws Exception {
        NettyTransport small = start(HOST_A, cfg -> cfg.withMaxFrameBytes(64 * 1024));
        Throwable failure = failureOf(small.request(b.localAddress(), ECHO, new byte[64 * 1024], 5000));
        assertThat(failure).isExactlyInstanceOf(TransportException.class).hasMessageContaining("exceeds maxFrameBytes");
        assertThat(small.stats().framesOut()).isZero();
    }

    @Test
    void closeFailsPendingRequestsWithTransportException() throws Exception {
        CompletableFuture<byte[]> pending = a.request(b.localAddress(), NEVER, bytes("x"), 10_000);
        eventually("request reached b", () -> b.stats().framesIn() >= 2);
        a.close();
        assertThat(failureOf(pending)).isExactlyInstanceOf(TransportException.class).hasMessageContaining("closed");
        assertThat(failureOf(a.request(b.localAddress(), ECHO, bytes("x"), 1000))).isInstanceOf(TransportException.class);
    }

    @Test
    void nioFallbackTalksToTheNativeTransport() throws Exception {
        NettyTransport nio = start(HOST_A, cfg -> cfg.withPreferEpoll(false));
        assertThat(nio.usesEpoll()).isFalse();
        assertThat(b.usesEpoll()).isEqualTo(EpollChannels.available());
        assertThat(nio.request(b.localAddress(), ECHO, bytes("nio"), 5000).get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("nio");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> a.request(b.localAddress(), ECHO, bytes("x"), 0)).hasMessageContaining("timeoutMillis");
        assertThatThrownBy(() -> b.register(ECHO, (f, p) -> null)).hasMessageContaining("already registered");
        assertThatThrownBy(() -> NettyTransportConfig.defaults(a.localAddress()).withMaxFrameBytes(10))
                .hasMessageContaining("maxFrameBytes");
        assertThatThrownBy(b::start).hasMessageContaining("already started");
    }

    // --- garbage from a stranger: that connection closes, the node keeps serving -----------------

    @ParameterizedTest
    @ValueSource(strings = {"random", "huge-length", "bad-checksum", "wrong-version", "request-before-hello", "response-to-acceptor"})
    void garbageClosesThatConnectionOnlyAndTheNodeKeepsServing(String garbage) throws Exception {
        // A connection from a well-behaved peer that must survive the stranger.
        assertThat(a.request(b.localAddress(), ECHO, bytes("before"), 5000).get(10, TimeUnit.SECONDS)).isNotEmpty();
        CompletableFuture<byte[]> inFlightMeanwhile = a.request(b.localAddress(), SLOW, bytes("meanwhile7"), 10_000);

        try (Socket stranger = new Socket()) {
            stranger.bind(new InetSocketAddress(HOST_A, 0));
            stranger.connect(new InetSocketAddress(b.localAddress().host(), b.localAddress().port()), 5000);
            stranger.setSoTimeout(5000);
            OutputStream out = stranger.getOutputStream();
            out.write(garbageBytes(garbage));
            out.flush();
            assertThat(readUntilClosed(stranger.getInputStream())).as("server closed the connection").isTrue();
        }
        eventually("violation counted", () -> b.stats().protocolViolations() == 1);

        assertThat(inFlightMeanwhile.get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("meanwhile7");
        assertThat(a.request(b.localAddress(), ECHO, bytes("after"), 5000).get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("after");
        assertThat(a.stats().connectionsOpened()).isEqualTo(1);
    }

    private byte[] garbageBytes(String kind) {
        byte[] hello = FrameCodecTest.encode(Frame.hello(Hello.encode(new PeerAddress(HOST_A, 9))));
        byte[] request = FrameCodecTest.encode(Frame.request(1, ECHO, 1000, bytes("payload")));
        return switch (kind) {
            case "random" -> {
                byte[] noise = new byte[4096];
                new Random(7).nextBytes(noise);
                yield noise;
            }
            case "huge-length" -> {
                byte[] header = Arrays.copyOf(request, Frame.HEADER_BYTES);
                ByteBuffer.wrap(header).putInt(24, Integer.MAX_VALUE);
                yield concat(hello, header);
            }
            case "bad-checksum" -> {
                request[request.length - 1] ^= 0x55;
                yield concat(hello, request);
            }
            case "wrong-version" -> {
                request[4] = 99;
                yield concat(hello, request);
            }
            case "request-before-hello" -> request;
            case "response-to-acceptor" -> concat(hello, FrameCodecTest.encode(Frame.response(1, ECHO, bytes("?"))));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static byte[] concat(byte[] first, byte[] second) {
        return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
    }

    /** True once the peer closes (EOF or reset); false if it kept the connection open for 5 s. */
    private static boolean readUntilClosed(InputStream in) throws IOException {
        byte[] sink = new byte[1024];
        try {
            for (int reads = 0; reads < 1000; reads++) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    // --- outgoing sockets use the node's own address ----------------------------------------------

    @Test
    void outgoingConnectionsBindToTheNodesOwnAddressAndOpenWithHello() throws Exception {
        try (ServerSocket fakePeer = new ServerSocket()) {
            fakePeer.bind(new InetSocketAddress(HOST_B, 0));
            fakePeer.setSoTimeout(5000);
            PeerAddress fake = new PeerAddress(HOST_B, fakePeer.getLocalPort());
            CompletableFuture<byte[]> request = a.request(fake, 42, bytes("ping"), 10_000);
            try (Socket accepted = fakePeer.accept()) {
                assertThat(accepted.getInetAddress()).isEqualTo(InetAddress.getByName(HOST_A));
                accepted.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(accepted.getInputStream());
                byte[] helloFrame = readFrame(in);
                assertThat(ByteBuffer.wrap(helloFrame).getInt(0)).isEqualTo(Frame.MAGIC);
                assertThat(helloFrame[5]).isEqualTo((byte) FrameKind.HELLO.code);
                byte[] helloPayload = Arrays.copyOfRange(helloFrame, Frame.HEADER_BYTES, helloFrame.length - 4);
                assertThat(Hello.decode(helloPayload)).isEqualTo(a.localAddress());
                byte[] requestFrame = readFrame(in);
                ByteBuffer header = ByteBuffer.wrap(requestFrame);
                assertThat(requestFrame[5]).isEqualTo((byte) FrameKind.REQUEST.code);
                assertThat(header.getInt(16)).isEqualTo(42);
                assertThat(Integer.toUnsignedLong(header.getInt(20))).isBetween(1L, 10_000L); // remaining millis
                // Answer by hand, proving the documented layout is all a peer needs.
                accepted.getOutputStream().write(FrameCodecTest.encode(Frame.response(header.getLong(8), 42, bytes("pong"))));
                assertThat(request.get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("pong");
            }
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] header = new byte[Frame.HEADER_BYTES];
        in.readFully(header);
        int payloadBytes = ByteBuffer.wrap(header).getInt(24);
        byte[] frame = Arrays.copyOf(header, Frame.OVERHEAD_BYTES + payloadBytes);
        in.readFully(frame, Frame.HEADER_BYTES, payloadBytes + Frame.CHECKSUM_BYTES);
        return frame;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }

    /** {@code preferred} if this OS lets us bind it (Linux routes all of 127/8 to lo), else 127.0.0.1. */
    static String loopbackOrDefault(String preferred) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(preferred, 0));
            return preferred;
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }
}
