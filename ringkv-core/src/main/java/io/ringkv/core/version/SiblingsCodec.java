package io.ringkv.core.version;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link Siblings} set: the value ringkv stores per key and sends between
 * replicas. Layout (docs/design/versioning.md, "Sibling encoding"):
 *
 * <pre>
 * siblings := format:u8 (=2; 1 is still read) count:varint version{count}
 * version  := flags:u8 (bit 0 tombstone; bit 1 exact events follow the context; others 0)
 *             timestampMillis:varint dotNode:string dotCounter:varint context:clock [exact:events]
 *             valueLength:varint value:byte{valueLength}
 * clock    := count:varint (nodeId:string counter:varint timestampMillis:varint){count}, node ids strictly ascending
 * events   := count:varint (nodeId:string counter:varint timestampMillis:varint){count}, ascending by (node id, counter)
 * string   := length:u8 (1..255) utf8:byte{length}
 * varint   := unsigned LEB128, at most 10 bytes
 * </pre>
 *
 * There is no checksum: the storage engine and the transport checksum everything they carry.
 * Decoding checks every length against the bytes left and every field against its rules, and
 * throws {@link MalformedVersionException} rather than return a guess.
 */
public final class SiblingsCodec {
    public static final int FORMAT = 2;
    /** Format 1 (before exact events) is still read: stored data and old nodes' messages. */
    static final int FORMAT_WITHOUT_EXACT_EVENTS = 1;
    private static final int FLAG_TOMBSTONE = 1;
    private static final int FLAG_EXACT_EVENTS = 2;

    private SiblingsCodec() {
    }

    public static byte[] encode(Siblings siblings) {
        int estimate = 8;
        for (Versioned v : siblings.versions()) {
            estimate += 32 + v.valueLength() + 24 * v.context().size();
        }
        ByteWriter w = new ByteWriter(estimate);
        w.u8(FORMAT);
        w.varLong(siblings.size());
        for (Versioned v : siblings.versions()) {
            CausalContext context = v.context();
            w.u8((v.tombstone() ? FLAG_TOMBSTONE : 0) | (context.hasDots() ? FLAG_EXACT_EVENTS : 0));
            w.varLong(v.timestampMillis());
            w.shortString(v.dot().nodeId());
            w.varLong(v.dot().counter());
            writeClock(w, context.past());
            if (context.hasDots()) {
                writeEntries(w, context.dots());
            }
            w.varLong(v.valueLength());
            w.bytes(v.valueUnsafe());
        }
        return w.toByteArray();
    }

    /** Decodes a whole array, which must hold exactly one sibling set. */
    public static Siblings decode(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedVersionException("no bytes to decode");
        }
        ByteReader r = new ByteReader(bytes, 0, bytes.length);
        int format = r.u8("format");
        if (format != FORMAT && format != FORMAT_WITHOUT_EXACT_EVENTS) {
            throw r.malformed("unknown sibling format " + format + " (this node reads formats "
                    + FORMAT_WITHOUT_EXACT_EVENTS + " and " + FORMAT + ")");
        }
        int knownFlags = format == FORMAT ? FLAG_TOMBSTONE | FLAG_EXACT_EVENTS : FLAG_TOMBSTONE;
        // A version takes at least 6 bytes: flags, timestamp, 1-byte string + 1 char, counter, empty clock, length.
        int count = r.count("sibling count", 6);
        List<Versioned> versions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            r.enterItem("version ", i);
            versions.add(readVersion(r, knownFlags));
        }
        r.leaveItem();
        r.expectEnd("sibling set");
        return Siblings.of(versions);
    }

    /** Reads one version; the reader's current item names it in failures ("version 3 ..."). */
    private static Versioned readVersion(ByteReader r, int knownFlags) {
        int flags = r.u8("flags");
        if ((flags & ~knownFlags) != 0) {
            throw r.malformed(r.label("has unknown flags 0x" + Integer.toHexString(flags)));
        }
        long timestamp = r.varLong("timestamp");
        String dotNode = r.shortString("dot node id");
        long dotCounter = r.varLong("dot counter");
        VectorClock past = readClock(r, ClockFields.VERSION_CONTEXT);
        List<VectorClock.Entry> exact = (flags & FLAG_EXACT_EVENTS) != 0 ? readEntries(r, ClockFields.VERSION_EVENTS) : List.of();
        int valueLength = r.varInt("value length");
        byte[] value = r.bytes(valueLength, "value");
        try {
            return Versioned.ofOwned(CausalContext.of(past, exact), new Dot(dotNode, dotCounter), value, (flags & FLAG_TOMBSTONE) != 0, timestamp);
        } catch (MalformedVersionException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw r.malformed(r.label("is invalid: " + e.getMessage()));
        }
    }

    static void writeClock(ByteWriter w, VectorClock clock) {
        w.varLong(clock.size());
        for (VectorClock.Entry e : clock.entries()) {
            w.shortString(e.nodeId());
            w.varLong(e.counter());
            w.varLong(e.timestampMillis());
        }
    }

    /** Exact events: entries in ascending (node id, counter) order, as {@link CausalContext#dots()} gives them. */
    static void writeEntries(ByteWriter w, List<VectorClock.Entry> entries) {
        w.varLong(entries.size());
        for (VectorClock.Entry e : entries) {
            w.shortString(e.nodeId());
            w.varLong(e.counter());
            w.varLong(e.timestampMillis());
        }
    }

    /** Reads exact events; any order and repeats are accepted, {@link CausalContext#of} normalises them. */
    static List<VectorClock.Entry> readEntries(ByteReader r, ClockFields fields) {
        int count = r.count(fields.entryCount(), 4);
        List<VectorClock.Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String node = r.shortString(fields.nodeId());
            long counter = r.varLong(fields.counter());
            long timestamp = r.varLong(fields.timestamp());
            try {
                entries.add(new VectorClock.Entry(node, counter, timestamp));
            } catch (IllegalArgumentException e) {
                throw r.malformed(r.label(fields.what() + " is invalid: " + e.getMessage()));
            }
        }
        return entries;
    }

    /** The field names of one encoded clock, built once rather than on every decode. */
    record ClockFields(String what, String entryCount, String nodeId, String counter, String timestamp) {
        static final ClockFields VERSION_CONTEXT = named("context");
        static final ClockFields VERSION_EVENTS = named("context exact events");
        static final ClockFields CONTEXT_CLOCK = named("context clock");
        static final ClockFields CONTEXT_EVENTS = named("context exact events");

        static ClockFields named(String what) {
            return new ClockFields(what, what + " entry count", what + " node id", what + " counter", what + " timestamp");
        }
    }

    static VectorClock readClock(ByteReader r, ClockFields fields) {
        // An entry takes at least 4 bytes: a 1-byte string + 1 char, a counter, a timestamp.
        int count = r.count(fields.entryCount(), 4);
        List<VectorClock.Entry> entries = new ArrayList<>(count);
        String previous = null;
        for (int i = 0; i < count; i++) {
            String node = r.shortString(fields.nodeId());
            long counter = r.varLong(fields.counter());
            long timestamp = r.varLong(fields.timestamp());
            if (previous != null && previous.compareTo(node) >= 0) {
                throw r.malformed(r.label(fields.what() + " node ids are not strictly ascending: " + previous + " then "
                        + node));
            }
            previous = node;
            try {
                entries.add(new VectorClock.Entry(node, counter, timestamp));
            } catch (IllegalArgumentException e) {
                throw r.malformed(r.label(fields.what() + " entry is invalid: " + e.getMessage()));
            }
        }
        return VectorClock.of(entries);
    }
}
