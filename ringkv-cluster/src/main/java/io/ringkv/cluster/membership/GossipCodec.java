package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the gossip messages, byte by byte as written in docs/design/gossip.md
 * ("Wire format"). Writes version {@value #FORMAT_VERSION}; reads versions 1 and 2, and can
 * write version 1 to answer a node that still speaks it (version 1 lacks each state's
 * {@link Instance}, which then decodes as {@link Instance#UNKNOWN}). Compact (varints, 16-byte tokens, an 8-byte weight, heartbeat deltas without metadata) because
 * a 1000-node cluster exchanges a thousand digests per message. Decoding is bounded: every count
 * is checked against its limit and against the bytes left, and any value a well-behaved node
 * cannot produce (unsorted tokens, a node suspecting itself, port 0...) is rejected with a
 * {@link MalformedGossipException} naming the field and offset. The Transport frames and
 * checksums messages; this layer does not repeat that.
 */
public final class GossipCodec {
    static final int MAGIC = 0x47; // 'G'
    /** The version this node writes. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest version this node reads and can answer in. */
    public static final int OLDEST_FORMAT_VERSION = 1;
    static final int KIND_SYN = 1;
    static final int KIND_ACK = 2;
    static final int KIND_ACK2 = 3;
    static final int UPDATE_FULL = 1;
    static final int UPDATE_HEARTBEAT = 2;

    /** Smallest possible encodings, used to reject counts the remaining bytes cannot hold. */
    private static final int MIN_DIGEST_BYTES = 5;
    private static final int MIN_UPDATE_BYTES = 6;
    private static final int MIN_SUSPICION_BYTES = 4;
    private static final int MAX_HOST_BYTES = 255;

    private GossipCodec() {}

    public static byte[] encode(GossipMessage message) {
        return encode(message, FORMAT_VERSION);
    }

    /**
     * Encodes in {@code version}: the current one, or 1 for a peer that spoke 1 to us (it would
     * refuse version 2). Version 1 leaves out each state's instance.
     */
    public static byte[] encode(GossipMessage message, int version) {
        if (version < OLDEST_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw new IllegalArgumentException("gossip format version " + version + " is not one this node writes ("
                    + OLDEST_FORMAT_VERSION + ".." + FORMAT_VERSION + ")");
        }
        GossipWriter w = new GossipWriter();
        w.byteValue(MAGIC);
        w.byteValue(version);
        switch (message) {
            case GossipMessage.Syn syn -> {
                w.byteValue(KIND_SYN);
                w.string(syn.clusterName());
                w.varLong(syn.digests().size());
                syn.digests().forEach(d -> writeDigest(w, d));
            }
            case GossipMessage.Ack ack -> {
                w.byteValue(KIND_ACK);
                writeUpdates(w, ack.updates(), version);
                w.varLong(ack.requests().size());
                ack.requests().forEach(d -> writeDigest(w, d));
            }
            case GossipMessage.Ack2 ack2 -> {
                w.byteValue(KIND_ACK2);
                writeUpdates(w, ack2.updates(), version);
            }
        }
        return w.toByteArray();
    }

    public static GossipMessage decode(byte[] bytes) {
        GossipReader r = new GossipReader(bytes);
        int version = readHeader(r);
        int kind = r.byteValue("message kind");
        try {
            GossipMessage message = switch (kind) {
                case KIND_SYN -> new GossipMessage.Syn(r.string("cluster name", 255), readDigests(r));
                case KIND_ACK -> new GossipMessage.Ack(readUpdates(r, version), readDigests(r));
                case KIND_ACK2 -> new GossipMessage.Ack2(readUpdates(r, version));
                default -> throw new MalformedGossipException("unknown gossip message kind " + kind);
            };
            r.expectEnd("gossip message");
            return message;
        } catch (IllegalArgumentException e) {
            // A value the record constructors refuse: same class of error as a bad length.
            throw new MalformedGossipException("invalid value before offset " + r.position() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The format version of an encoded message (checked as {@link #decode} checks it), to answer in kind. */
    public static int version(byte[] bytes) {
        return readHeader(new GossipReader(bytes));
    }

    private static int readHeader(GossipReader r) {
        int magic = r.byteValue("magic");
        if (magic != MAGIC) {
            throw new MalformedGossipException("not a gossip message: magic byte is 0x"
                    + Integer.toHexString(magic) + ", expected 0x47");
        }
        int version = r.byteValue("format version");
        if (version < OLDEST_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw new MalformedGossipException("unsupported gossip format version " + version
                    + " (this node speaks " + OLDEST_FORMAT_VERSION + " to " + FORMAT_VERSION + ")");
        }
        return version;
    }

    /** The canonical encoding of one state; used only to break ties between forged states. */
    static byte[] encodeStateForOrdering(NodeState state) {
        GossipWriter w = new GossipWriter();
        writeState(w, state, FORMAT_VERSION);
        return w.toByteArray();
    }

    // ------------------------------------------------------------------ writing

    private static void writeDigest(GossipWriter w, Digest d) {
        w.string(d.id().value());
        w.varLong(d.generation());
        w.varLong(d.heartbeat());
        w.varLong(d.metadataVersion());
    }

    private static void writeUpdates(GossipWriter w, List<NodeUpdate> updates, int version) {
        w.varLong(updates.size());
        for (NodeUpdate u : updates) {
            switch (u) {
                case NodeUpdate.Full f -> {
                    w.byteValue(UPDATE_FULL);
                    writeState(w, f.state(), version);
                }
                case NodeUpdate.HeartbeatDelta d -> {
                    w.byteValue(UPDATE_HEARTBEAT);
                    w.string(d.id().value());
                    w.varLong(d.generation());
                    w.varLong(d.heartbeat());
                    w.varLong(d.metadataVersion());
                    writeSuspicions(w, d.suspicions());
                }
            }
        }
    }

    private static void writeState(GossipWriter w, NodeState s, int version) {
        w.string(s.id().value());
        w.varLong(s.generation());
        w.varLong(s.heartbeat());
        w.varLong(s.metadataVersion());
        if (version >= 2) {
            w.varLong(s.instance().startGeneration());
            w.u64(s.instance().nonce());
        }
        NodeInfo info = s.info();
        w.byteValue(info.status().code());
        writeAddress(w, info.peerAddress());
        writeAddress(w, info.httpAddress());
        w.string(info.dc());
        w.string(info.rack());
        w.u64(Double.doubleToLongBits(info.weight()));
        w.varLong(info.tokens().size());
        for (Token token : info.tokens()) {
            w.bytes(token.toBytes());
        }
        writeSuspicions(w, s.suspicions());
    }

    private static void writeSuspicions(GossipWriter w, List<Suspicion> suspicions) {
        w.varLong(suspicions.size());
        for (Suspicion s : suspicions) {
            w.string(s.suspect().value());
            w.varLong(s.generation());
            w.varLong(s.heartbeat());
        }
    }

    private static void writeAddress(GossipWriter w, PeerAddress a) {
        w.string(a.host());
        w.u16(a.port());
    }

    // ------------------------------------------------------------------ reading

    private static List<Digest> readDigests(GossipReader r) {
        int n = r.count("digest", MembershipView.MAX_MEMBERS, MIN_DIGEST_BYTES);
        List<Digest> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            NodeId id = readNodeId(r, "digest node id");
            out.add(new Digest(id, r.varLong("digest generation"), r.varLong("digest heartbeat"),
                    r.varLong("digest metadata version")));
        }
        return out;
    }

    private static List<NodeUpdate> readUpdates(GossipReader r, int version) {
        int n = r.count("update", MembershipView.MAX_MEMBERS, MIN_UPDATE_BYTES);
        List<NodeUpdate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int tag = r.byteValue("update tag");
            out.add(switch (tag) {
                case UPDATE_FULL -> new NodeUpdate.Full(readState(r, version));
                case UPDATE_HEARTBEAT -> {
                    NodeId id = readNodeId(r, "heartbeat node id");
                    long generation = r.varLong("heartbeat generation");
                    long heartbeat = r.varLong("heartbeat");
                    long metadataVersion = r.varLong("heartbeat metadata version");
                    yield new NodeUpdate.HeartbeatDelta(id, generation, heartbeat, metadataVersion,
                            readSuspicions(r));
                }
                default -> throw new MalformedGossipException("unknown update tag " + tag + " at offset "
                        + (r.position() - 1));
            });
        }
        return out;
    }

    private static NodeState readState(GossipReader r, int version) {
        NodeId id = readNodeId(r, "node id");
        long generation = r.varLong("generation");
        long heartbeat = r.varLong("heartbeat");
        long metadataVersion = r.varLong("metadata version");
        Instance instance = version >= 2
                ? new Instance(r.varLong("instance start generation"), r.u64("instance nonce"))
                : Instance.UNKNOWN;
        int statusOffset = r.position();
        int statusCode = r.byteValue("status");
        AnnouncedStatus status;
        try {
            status = AnnouncedStatus.fromCode(statusCode);
        } catch (IllegalArgumentException e) {
            throw new MalformedGossipException("unknown status code " + statusCode + " at offset " + statusOffset);
        }
        PeerAddress peer = readAddress(r, "peer address");
        PeerAddress http = readAddress(r, "http address");
        String dc = r.string("dc", NodeInfo.MAX_LABEL_BYTES);
        String rack = r.string("rack", NodeInfo.MAX_LABEL_BYTES);
        double weight = Double.longBitsToDouble(r.u64("weight"));
        int tokenCount = r.count("token", NodeInfo.MAX_TOKENS, Token.BYTES);
        List<Token> tokens = new ArrayList<>(tokenCount);
        for (int i = 0; i < tokenCount; i++) {
            tokens.add(Token.fromBytes(r.bytes(Token.BYTES, "token")));
        }
        List<Suspicion> suspicions = readSuspicions(r);
        NodeInfo info = new NodeInfo(status, peer, http, dc, rack, weight, tokens);
        return new NodeState(id, instance, generation, heartbeat, metadataVersion, info, suspicions);
    }

    private static List<Suspicion> readSuspicions(GossipReader r) {
        int n = r.count("suspicion", MembershipView.MAX_MEMBERS, MIN_SUSPICION_BYTES);
        List<Suspicion> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            NodeId suspect = readNodeId(r, "suspect id");
            out.add(new Suspicion(suspect, r.varLong("suspicion generation"), r.varLong("suspicion heartbeat")));
        }
        return out;
    }

    private static PeerAddress readAddress(GossipReader r, String what) {
        String host = r.string(what + " host", MAX_HOST_BYTES);
        int port = r.u16(what + " port");
        return new PeerAddress(host, port);
    }

    private static NodeId readNodeId(GossipReader r, String what) {
        return new NodeId(r.string(what, NodeId.MAX_BYTES));
    }
}
