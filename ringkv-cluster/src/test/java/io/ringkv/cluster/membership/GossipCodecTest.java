package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The wire format of docs/design/gossip.md: round trips, and every kind of bad input refused clearly. */
class GossipCodecTest {

    private static NodeState sampleState() {
        NodeInfo info = Fixtures.info(1).withTokens(List.of(Token.MIN, new Token(0, 255), new Token(1, 0),
                new Token(Long.MIN_VALUE, 0), Token.MAX));
        return new NodeState(Fixtures.id(1), new Instance(5, 0xfeedface_00c0ffeeL), 7, 42, 3, info,
                List.of(new Suspicion(Fixtures.id(2), 5, 9), new Suspicion(Fixtures.id(3), 1, 0)));
    }

    private static GossipMessage.Ack sampleAck() {
        NodeState s = sampleState();
        return new GossipMessage.Ack(
                List.of(new NodeUpdate.Full(s), NodeUpdate.HeartbeatDelta.of(s)),
                List.of(Digest.unknown(Fixtures.id(4)), new Digest(Fixtures.id(5), 1, 2, 3)));
    }

    @Test
    void roundTripsEachMessageKind() {
        GossipMessage.Syn syn = new GossipMessage.Syn("prod-eu", List.of(sampleState().digest(), Digest.unknown(Fixtures.id(9))));
        GossipMessage.Ack2 ack2 = new GossipMessage.Ack2(List.of(new NodeUpdate.Full(sampleState())));
        for (GossipMessage m : List.of(syn, sampleAck(), ack2, new GossipMessage.Ack2(List.of()))) {
            assertThat(GossipCodec.decode(GossipCodec.encode(m))).isEqualTo(m);
        }
    }

    @Test
    void tokensTakeSixteenBytesBigEndianUnsigned() {
        NodeState s = new NodeState(Fixtures.id(1), new Instance(1, 0), 1, 0, 0, Fixtures.info(1).withTokens(List.of(new Token(0, 1), Token.MAX)), List.of());
        byte[] bytes = GossipCodec.encode(new GossipMessage.Ack2(List.of(new NodeUpdate.Full(s))));
        byte[] one = new byte[16];
        one[15] = 1;
        byte[] max = new byte[16];
        Arrays.fill(max, (byte) 0xFF);
        assertThat(indexOf(bytes, max)).isEqualTo(indexOf(bytes, one) + 16);
        assertThat(((NodeUpdate.Full) ((GossipMessage.Ack2) GossipCodec.decode(bytes)).updates().getFirst())
                .state().info().tokens()).containsExactly(new Token(0, 1), Token.MAX);
    }

    @Test
    void headerIsMagicVersionKind() {
        byte[] bytes = GossipCodec.encode(new GossipMessage.Ack2(List.of()));
        assertThat(bytes).containsExactly(0x47, 2, 3, 0);
        assertThat(GossipCodec.version(bytes)).isEqualTo(2);
        assertThat(GossipCodec.encode(new GossipMessage.Ack2(List.of()), 1)).containsExactly(0x47, 1, 3, 0);
    }

    // ------------------------------------------------------------------ versions 1 and 2, byte by byte

    /** One full state of node1 (generation 7, heartbeat 42, metadata version 3), in an Ack2, as gossip.md lays it out. */
    private static byte[] handEncodedAck2(int version, long startGeneration, long nonce) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x47, (byte) version, 3, 1, 1}); // magic, version, ACK2, 1 update, Full
        out.writeBytes(new byte[] {5, 'n', 'o', 'd', 'e', '1', 7, 42, 3}); // id, generation, heartbeat, metadataVersion
        if (version >= 2) {
            out.write((int) startGeneration); // varint, < 128 here
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (nonce >>> shift));
            }
        }
        out.write(2); // NORMAL
        out.writeBytes(new byte[] {9, '1', '2', '7', '.', '0', '.', '0', '.', '1', 0x1B, 0x58}); // peer 127.0.0.1:7000
        out.writeBytes(new byte[] {9, '1', '2', '7', '.', '0', '.', '0', '.', '1', 0x1F, 0x40}); // http 127.0.0.1:8000
        out.writeBytes(new byte[] {3, 'd', 'c', '1', 5, 'r', 'a', 'c', 'k', '1'});
        out.writeBytes(new byte[] {0x3F, (byte) 0xF0, 0, 0, 0, 0, 0, 0}); // weight 1.0
        out.writeBytes(new byte[] {0, 0}); // no tokens, no suspicions
        return out.toByteArray();
    }

    private static NodeState onlyState(byte[] ack2) {
        return ((NodeUpdate.Full) ((GossipMessage.Ack2) GossipCodec.decode(ack2)).updates().getFirst()).state();
    }

    @Test
    void versionTwoCarriesTheInstanceAfterTheMetadataVersion() {
        NodeState s = onlyState(handEncodedAck2(2, 5, 0xFEEDFACE_00C0FFEEL));
        assertThat(s.instance()).isEqualTo(new Instance(5, 0xFEEDFACE_00C0FFEEL));
        assertThat(s.generation()).isEqualTo(7);
        assertThat(s.info().peerAddress()).isEqualTo(new PeerAddress("127.0.0.1", 7000));
        assertThat(GossipCodec.encode(new GossipMessage.Ack2(List.of(new NodeUpdate.Full(s)))))
                .containsExactly(handEncodedAck2(2, 5, 0xFEEDFACE_00C0FFEEL));
    }

    @Test
    void versionOneStillDecodesWithAnUnknownInstanceAndCanBeWrittenToAnswerInKind() {
        NodeState s = onlyState(handEncodedAck2(1, 0, 0));
        assertThat(s.instance()).isEqualTo(Instance.UNKNOWN);
        assertThat(s.heartbeat()).isEqualTo(42);
        GossipMessage.Ack2 withInstance = new GossipMessage.Ack2(List.of(new NodeUpdate.Full(
                new NodeState(s.id(), new Instance(5, 9), 7, 42, 3, s.info(), List.of()))));
        assertThat(GossipCodec.encode(withInstance, 1)).as("version 1 leaves the instance out")
                .containsExactly(handEncodedAck2(1, 0, 0));
    }

    @Test
    void anInstanceNoProcessCanHaveIsRefused() {
        assertThatThrownBy(() -> GossipCodec.decode(handEncodedAck2(2, 8, 1)))
                .as("started at generation 8, writing generation 7")
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("generation 8");
        assertThatThrownBy(() -> GossipCodec.decode(handEncodedAck2(2, 0, 1)))
                .as("unknown start generation with a nonce")
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("nonce");
        assertThat(onlyState(handEncodedAck2(2, 0, 0)).instance()).as("relayed from a version-1 node")
                .isEqualTo(Instance.UNKNOWN);
    }

    @Test
    void everyTruncationIsRefusedAsMalformed() {
        byte[] whole = GossipCodec.encode(sampleAck());
        for (int len = 0; len < whole.length; len++) {
            byte[] prefix = Arrays.copyOf(whole, len);
            assertThatThrownBy(() -> GossipCodec.decode(prefix))
                    .as("prefix of %d bytes", len)
                    .isInstanceOf(MalformedGossipException.class);
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] whole = GossipCodec.encode(sampleAck());
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThatThrownBy(() -> GossipCodec.decode(longer))
                .isInstanceOf(MalformedGossipException.class)
                .hasMessageContaining("1 unexpected bytes");
    }

    @Test
    void wrongMagicVersionOrKindIsNamed() {
        assertThatThrownBy(() -> GossipCodec.decode(new byte[] {0x52, 1, 1}))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> GossipCodec.decode(new byte[] {0x47, 9, 1}))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("version 9");
        assertThatThrownBy(() -> GossipCodec.decode(new byte[] {0x47, 1, 7}))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("kind 7");
    }

    @Test
    void aHugeCountIsRefusedBeforeAnythingIsAllocated() {
        // ACK2 claiming 4096 updates in 3 remaining bytes; then one claiming 2^40.
        byte[] tooManyForBytes = {0x47, 1, 3, (byte) 0x80, 0x20, 0, 0};
        assertThatThrownBy(() -> GossipCodec.decode(tooManyForBytes))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("cannot fit");
        byte[] overLimit = {0x47, 1, 3, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20};
        assertThatThrownBy(() -> GossipCodec.decode(overLimit))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("exceeds the limit of 4096");
    }

    @Test
    void anOverlongVarintIsRefused() {
        byte[] bytes = {0x47, 1, 3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
        assertThatThrownBy(() -> GossipCodec.decode(bytes))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("varint");
    }

    @Test
    void invalidUtf8InANodeIdIsRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x47, 1, 1});
        out.writeBytes(new byte[] {1, 'c'}); // cluster name "c"
        out.writeBytes(new byte[] {1, 2, (byte) 0xC3, 0x28, 1, 0, 0}); // one digest, id bytes C3 28
        assertThatThrownBy(() -> GossipCodec.decode(out.toByteArray()))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void valuesAWellBehavedNodeCannotProduceAreRefused() {
        // A state whose tokens are not increasing: encode a valid one, then swap two token blocks.
        NodeInfo info = Fixtures.info(1).withTokens(List.of(new Token(0, 1), new Token(0, 2)));
        NodeState s = new NodeState(Fixtures.id(1), new Instance(1, 0), 1, 0, 0, info, List.of());
        byte[] bytes = GossipCodec.encode(new GossipMessage.Ack2(List.of(new NodeUpdate.Full(s))));
        int first = indexOf(bytes, new Token(0, 1).toBytes());
        bytes[first + 15] = 2;
        bytes[first + 16 + 15] = 1;
        assertThatThrownBy(() -> GossipCodec.decode(bytes))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("strictly increasing");

        // A node suspecting itself.
        GossipWriter w = new GossipWriter();
        w.byteValue(0x47); w.byteValue(1); w.byteValue(3);
        w.varLong(1); w.byteValue(GossipCodec.UPDATE_HEARTBEAT);
        w.string("node1"); w.varLong(1); w.varLong(1); w.varLong(0);
        w.varLong(1); w.string("node1"); w.varLong(1); w.varLong(0);
        assertThatThrownBy(() -> GossipCodec.decode(w.toByteArray()))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("cannot suspect itself");
    }

    @Test
    void anUnknownUpdateTagIsRefused() {
        byte[] bytes = {0x47, 1, 3, 1, 9, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> GossipCodec.decode(bytes))
                .isInstanceOf(MalformedGossipException.class).hasMessageContaining("update tag 9");
    }

    @Property(tries = 300)
    void randomMessagesRoundTrip(@ForAll("messages") GossipMessage message) {
        assertThat(GossipCodec.decode(GossipCodec.encode(message))).isEqualTo(message);
    }

    @Property(tries = 2000)
    void randomBytesAreEitherAMessageOrMalformedNeverAnotherException(@ForAll byte[] noise,
                                                                   @ForAll("kinds") int kind) {
        byte[] bytes = new byte[noise.length + 3];
        bytes[0] = 0x47;
        bytes[1] = 1;
        bytes[2] = (byte) kind;
        System.arraycopy(noise, 0, bytes, 3, noise.length);
        try {
            GossipMessage m = GossipCodec.decode(bytes);
            assertThat(GossipCodec.decode(GossipCodec.encode(m))).isEqualTo(m);
        } catch (MalformedGossipException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void flippingAnyByteNeverCausesAnythingButMalformedOrAValidMessage(@ForAll("messages") GossipMessage message,
                                                                    @ForAll int position, @ForAll byte xor) {
        byte[] bytes = GossipCodec.encode(message);
        bytes[Math.floorMod(position, bytes.length)] ^= xor;
        try {
            GossipCodec.decode(bytes);
        } catch (MalformedGossipException expected) {
            // fine: refused with a reason
        }
    }

    @Provide
    Arbitrary<Integer> kinds() {
        return Arbitraries.integers().between(1, 3);
    }

    @Provide
    Arbitrary<GossipMessage> messages() {
        Arbitrary<NodeId> ids = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .map(NodeId::new);
        Arbitrary<Digest> digests = Combinators.combine(ids, Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(0, 1 << 20), Arbitraries.longs().between(0, 100)).as(Digest::new);
        Arbitrary<NodeState> states = Combinators.combine(
                        ids, Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.longs().between(0, 1 << 30),
                        Arbitraries.integers().between(1, 200), Arbitraries.of(AnnouncedStatus.class),
                        Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Token::new).set().ofMaxSize(5))
                .as((id, gen, hb, port, status, tokens) -> new NodeState(id, new Instance(gen, ~hb), gen, hb, hb % 7,
                        new NodeInfo(status, Fixtures.peer(port), Fixtures.peer(port + 1), "dc-ü", "r", port / 7.0,
                                new ArrayList<>(new java.util.TreeSet<>(tokens))),
                        id.value().equals("x") ? List.of() : List.of(new Suspicion(new NodeId("x"), 1, hb))));
        Arbitrary<NodeUpdate> updates = Arbitraries.oneOf(
                states.map(NodeUpdate.Full::new),
                states.map(NodeUpdate.HeartbeatDelta::of));
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20),
                        digests.list().ofMaxSize(10)).as(GossipMessage.Syn::new),
                Combinators.combine(updates.list().ofMaxSize(6), digests.list().ofMaxSize(6)).as(GossipMessage.Ack::new),
                updates.list().ofMaxSize(6).map(GossipMessage.Ack2::new));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
