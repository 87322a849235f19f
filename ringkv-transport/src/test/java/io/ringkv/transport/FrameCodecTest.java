package io.ringkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.PeerUnavailableException;
import io.ringkv.cluster.transport.RemoteHandlerException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The codec against docs/design/wire-protocol.md, byte by byte, without sockets. */
class FrameCodecTest {
    static final int MAX_FRAME_BYTES = 4096;

    static byte[] encode(Frame frame) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(MAX_FRAME_BYTES, new TransportStats()));
        channel.writeOutbound(frame);
        ByteBuf out = channel.readOutbound();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        return bytes;
    }

    record Decoded(EmbeddedChannel channel, TransportStats stats) {
        Frame frame() {
            return channel.readInbound();
        }
    }

    static Decoded decode(byte[]... chunks) {
        TransportStats stats = new TransportStats();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, stats));
        for (byte[] chunk : chunks) {
            if (channel.isOpen()) {
                channel.writeInbound(Unpooled.wrappedBuffer(chunk));
            }
        }
        return new Decoded(channel, stats);
    }

    @Test
    void requestFrameIsLaidOutExactlyAsDocumented() {
        byte[] wire = encode(Frame.request(0x0102030405060708L, 0x0A0B0C0D, 250, new byte[] {(byte) 0xEE, (byte) 0xFF}));
        String expectedHeaderAndPayload = "524b564e" // magic RKVN
                + "01" // version
                + "02" // kind REQUEST
                + "0000" // reserved
                + "0102030405060708" // request id
                + "0a0b0c0d" // message type
                + "000000fa" // deadline millis 250
                + "00000002" // payload length
                + "eeff"; // payload
        byte[] checked = HexFormat.of().parseHex(expectedHeaderAndPayload);
        CRC32C crc = new CRC32C();
        crc.update(checked);
        String expected = expectedHeaderAndPayload + String.format("%08x", crc.getValue());
        assertThat(HexFormat.of().formatHex(wire)).isEqualTo(expected);
        assertThat(wire).hasSize(Frame.OVERHEAD_BYTES + 2);
    }

    @Test
    void helloPayloadIsLengthPrefixedHostThenPort() {
        byte[] payload = Hello.encode(new PeerAddress("127.0.0.2", 7000));
        assertThat(HexFormat.of().formatHex(payload)).isEqualTo("0009" + HexFormat.of().formatHex("127.0.0.2".getBytes(StandardCharsets.US_ASCII)) + "1b58");
        assertThat(Hello.decode(payload)).isEqualTo(new PeerAddress("127.0.0.2", 7000));
    }

    @Test
    void malformedHelloPayloadsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> Hello.decode(new byte[] {0, 1})).hasMessageContaining("shorter than 5");
        assertThatThrownBy(() -> Hello.decode(new byte[] {0, 9, 'a', 0, 1})).hasMessageContaining("host length 9");
        assertThatThrownBy(() -> Hello.decode(new byte[] {0, 1, 'a', 0, 0})).hasMessageContaining("port");
        assertThatThrownBy(() -> Hello.decode(new byte[] {0, 1, (byte) 0xC3, 0, 1})).hasMessageContaining("UTF-8");
    }

    @Test
    void errorPayloadMapsToTheDocumentedExceptions() {
        PeerAddress peer = new PeerAddress("127.0.0.2", 7000);
        assertThat(ErrorCode.toException(ErrorCode.HANDLER_FAILED.encode("disk full"), peer, 5))
                .isInstanceOf(RemoteHandlerException.class).hasMessage("disk full");
        assertThat(ErrorCode.toException(ErrorCode.OVERLOADED.encode("busy"), peer, 5))
                .isInstanceOf(PeerUnavailableException.class).hasMessageContaining("overloaded");
        assertThat(ErrorCode.toException(new byte[] {0, 99, 'x'}, peer, 5))
                .isInstanceOf(RemoteHandlerException.class).hasMessageContaining("error code 99");
        assertThat(ErrorCode.HANDLER_FAILED.encode("x".repeat(5000))).hasSize(2 + ErrorCode.MAX_MESSAGE_BYTES);
    }

    @Test
    void frameArrivingOneByteAtATimeDecodesOnce() {
        byte[] wire = encode(Frame.response(7, 3, "hello".getBytes(StandardCharsets.UTF_8)));
        byte[][] chunks = new byte[wire.length][];
        for (int i = 0; i < wire.length; i++) {
            chunks[i] = new byte[] {wire[i]};
        }
        Decoded decoded = decode(chunks);
        Frame frame = decoded.frame();
        assertThat(frame.kind()).isEqualTo(FrameKind.RESPONSE);
        assertThat(frame.requestId()).isEqualTo(7);
        assertThat(frame.payload()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        assertThat(decoded.frame()).isNull();
        assertThat(decoded.stats().framesIn()).isEqualTo(1);
        assertThat(decoded.stats().bytesIn()).isEqualTo(wire.length);
    }

    @Property(tries = 200)
    void everyFrameSurvivesTheRoundTrip(@ForAll("frames") Frame frame) {
        Frame decoded = decode(encode(frame)).frame();
        assertThat(decoded.kind()).isEqualTo(frame.kind());
        assertThat(decoded.requestId()).isEqualTo(frame.requestId());
        assertThat(decoded.messageType()).isEqualTo(frame.messageType());
        assertThat(decoded.deadlineMillis()).isEqualTo(frame.deadlineMillis());
        assertThat(decoded.payload()).isEqualTo(frame.payload());
    }

    @Property(tries = 300)
    void anySingleCorruptedByteNeverYieldsAFrame(@ForAll("frames") Frame frame, @ForAll @IntRange(min = 0, max = 10_000) int where,
                                                  @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] wire = encode(frame);
        wire[where % wire.length] ^= (byte) xor;
        Logger logger = (Logger) LoggerFactory.getLogger(ProtocolViolation.class);
        Level before = logger.getLevel();
        logger.setLevel(Level.ERROR); // hundreds of expected WARNs would bury real output
        Decoded decoded;
        try {
            decoded = decode(wire);
        } finally {
            logger.setLevel(before);
        }
        // Either the connection is closed as a violation, or (length grew) it waits for bytes
        // that will never check out; it never hands a corrupted frame to the layer above.
        assertThat(decoded.frame()).isNull();
        if (!decoded.channel().isOpen()) {
            assertThat(decoded.stats().protocolViolations()).isEqualTo(1);
        }
    }

    @Provide
    Arbitrary<Frame> frames() {
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<Long> ids = Arbitraries.longs().filter(id -> id != 0);
        Arbitrary<Integer> types = Arbitraries.integers();
        Arbitrary<Frame> requests = Combinators.combine(ids, types, Arbitraries.longs().between(1, Frame.MAX_DEADLINE_MILLIS), payloads)
                .as(Frame::request);
        Arbitrary<Frame> responses = Combinators.combine(ids, types, payloads).as(Frame::response);
        Arbitrary<Frame> hellos = payloads.map(Frame::hello);
        return Arbitraries.oneOf(requests, responses, hellos);
    }

    @Test
    void headerViolationsCloseTheConnectionBeforeThePayloadArrives() {
        byte[] good = encode(Frame.request(1, 1, 100, new byte[10]));
        assertViolation(mutate(good, 0, (byte) 'X'), "bad magic");
        assertViolation(mutate(good, 4, (byte) 2), "unsupported protocol version 2");
        assertViolation(mutate(good, 5, (byte) 9), "unknown frame kind 9");
        assertViolation(mutate(good, 7, (byte) 1), "reserved");
        byte[] huge = Arrays.copyOf(good, Frame.HEADER_BYTES); // header only: length is checked without waiting
        ByteBuffer.wrap(huge).putInt(24, 0x7FFF_FFFF);
        assertViolation(huge, "exceeds maxFrameBytes");
        assertViolation(mutate(good, Frame.HEADER_BYTES + 3, (byte) 1), "checksum mismatch");
        byte[] noDeadline = encode(new Frame(FrameKind.REQUEST, 1, 1, 0, new byte[0]));
        assertViolation(noDeadline, "deadline 0");
        byte[] noId = encode(new Frame(FrameKind.REQUEST, 0, 1, 5, new byte[0]));
        assertViolation(noId, "request id 0");
        assertViolation(encode(new Frame(FrameKind.RESPONSE, 1, 1, 5, new byte[0])), "non-zero deadline");
        assertViolation(new byte[] {1, 2, 3, 4}, "bad magic"); // garbage shorter than a header
    }

    private static byte[] mutate(byte[] wire, int index, byte value) {
        byte[] copy = wire.clone();
        copy[index] = value;
        return copy;
    }

    private static void assertViolation(byte[] wire, String reason) {
        Logger logger = (Logger) LoggerFactory.getLogger(ProtocolViolation.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        Decoded decoded;
        try {
            decoded = decode(wire, new byte[] {1, 2, 3});
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("protocol violation").contains(reason);
        });
        assertThat(decoded.frame()).as(reason).isNull();
        assertThat(decoded.channel().isOpen()).as(reason).isFalse();
        assertThat(decoded.stats().protocolViolations()).as(reason).isEqualTo(1);
    }
}
