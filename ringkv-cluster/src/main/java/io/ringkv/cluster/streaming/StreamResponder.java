package io.ringkv.cluster.streaming;

import io.ringkv.cluster.antientropy.KeyDigests;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.storage.KeyValue;
import io.ringkv.storage.PendingDurability;
import io.ringkv.storage.StorageEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the other side of streaming from this node's store: pages of a range (STREAM_FETCH),
 * a range's digest (RANGE_DIGEST), and pushed pages to merge (STREAM_PUSH). Stateless: a fetch
 * names where the last page ended, so either side may crash and the stream resumes from the
 * receiver's checkpoint. Scans and merges may block: they run on the executor, never on the
 * transport's thread. A pushed set is merged with the store's own
 * ({@link ReplicaStore#applyAllVisible}, one fsync per page): whole sets, never overwritten
 * (docs/design/versioning.md).
 */
public final class StreamResponder {
    private static final Logger LOG = LoggerFactory.getLogger(StreamResponder.class);

    private final ReplicaStore store;
    private final Executor executor;

    public StreamResponder(ReplicaStore store, Executor executor) {
        this.store = store;
        this.executor = executor;
    }

    /** Registers the handlers; call before the transport starts. */
    public void registerOn(Transport transport) {
        transport.register(StreamMessages.STREAM_FETCH, (from, payload) -> serve(from, payload, this::fetch));
        transport.register(StreamMessages.RANGE_DIGEST, (from, payload) -> serve(from, payload, this::digest));
        transport.register(StreamMessages.STREAM_PUSH, (from, payload) -> serve(from, payload, this::push));
    }

    private byte[] fetch(byte[] payload) {
        StreamMessages.Fetch fetch = StreamMessages.decodeFetch(payload);
        TokenRange range = fetch.range();
        requireNotWholeRing(range);
        if (fetch.after().equals(range.toInclusive())) {
            return StreamMessages.page(List.of(), true); // the last page ended at the top of the range
        }
        List<StreamMessages.Entry> entries = new ArrayList<>();
        long bytes = 0;
        try (StorageEngine.RangeIterator it = store.engine().scan(fetch.after().toBytes(), range.toInclusive().toBytes())) {
            while (it.hasNext() && (entries.isEmpty() || bytes < fetch.maxBytes())) {
                KeyValue kv = it.next();
                entries.add(new StreamMessages.Entry(kv.key(), kv.value()));
                bytes += kv.key().length + kv.value().length;
            }
            return StreamMessages.page(entries, !it.hasNext());
        }
    }

    private byte[] digest(byte[] payload) {
        TokenRange range = StreamMessages.decodeDigestRequest(payload);
        requireNotWholeRing(range);
        return StreamMessages.digestReply(digestOf(store, range));
    }

    /** The XOR of the digests of every key this store holds in {@code range}, and how many there are. */
    static StreamMessages.Digest digestOf(ReplicaStore store, TokenRange range) {
        long keys = 0;
        long digest = 0;
        try (StorageEngine.RangeIterator it = store.engine().scan(range.fromExclusive().toBytes(),
                range.toInclusive().toBytes())) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                digest ^= KeyDigests.digest(kv.key(), kv.value());
                keys++;
            }
        }
        return new StreamMessages.Digest(keys, digest);
    }

    private byte[] push(byte[] payload) {
        StreamMessages.Push push = StreamMessages.decodePush(payload);
        for (StreamMessages.Entry e : push.entries()) {
            if (!push.range().contains(Token.of(e.key()))) {
                throw new StreamFailedException("a pushed key lies outside " + push.range(), null);
            }
        }
        PendingDurability last = PendingDurability.DONE;
        for (StreamMessages.Entry e : push.entries()) {
            last = store.applyAllVisible(e.key(), SiblingsCodec.decode(e.siblings()));
        }
        last.awaitDurable(); // the reply says the page is durable here
        return StreamMessages.okReply();
    }

    /** A range whose bounds are equal is the whole ring, and a cursor could never end it: only a one-token ring has one. */
    private static void requireNotWholeRing(TokenRange range) {
        if (range.fromExclusive().equals(range.toInclusive())) {
            throw new StreamFailedException("whole-ring ranges are not streamed", null);
        }
    }

    private CompletableFuture<byte[]> serve(PeerAddress from, byte[] payload, Function<byte[], byte[]> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work.apply(payload);
                } catch (RuntimeException e) {
                    LOG.warn("streaming request from {} failed: {}", from, e.toString());
                    return StreamMessages.failedReply(e.getMessage());
                }
            }, executor);
        } catch (RejectedExecutionException closing) {
            return CompletableFuture.completedFuture(StreamMessages.failedReply("this node is stopping"));
        }
    }
}
