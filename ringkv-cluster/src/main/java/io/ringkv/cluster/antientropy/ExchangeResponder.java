package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.antientropy.ExchangeMessages.KeyDigest;
import io.ringkv.cluster.antientropy.ExchangeMessages.KeySet;
import io.ringkv.cluster.antientropy.ExchangeMessages.RangeRef;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.Token;
import io.ringkv.core.version.MalformedVersionException;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.storage.PendingDurability;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica side of an exchange: answers a peer's questions about one range's tree and keys,
 * and merges the sibling sets it pushes. Everything runs on the executor (a tree refresh or a
 * leaf scan may read the disk; a merge may stall), never on the transport's thread. A request
 * about a range this node does not replicate with exactly those bounds, or with another tree
 * depth, is refused as {@link ExchangeMessages#RANGE_UNKNOWN}: comparing different ranges would
 * "repair" keys into the wrong replicas.
 */
final class ExchangeResponder {
    private static final Logger log = LoggerFactory.getLogger(ExchangeResponder.class);

    private final RangeTrees trees;
    private final ReplicaStore store;
    private final Throttle throttle;
    private final Executor executor;
    private final int depth;
    private final AntiEntropyListener listener;

    ExchangeResponder(RangeTrees trees, ReplicaStore store, Throttle throttle, Executor executor, int depth,
                      AntiEntropyListener listener) {
        this.trees = trees;
        this.store = store;
        this.throttle = throttle;
        this.executor = executor;
        this.depth = depth;
        this.listener = listener;
    }

    void register(Transport transport) {
        transport.register(ExchangeMessages.TREE_LEVEL, (from, payload) -> serve(payload, this::level));
        transport.register(ExchangeMessages.LEAF_KEYS, (from, payload) -> serve(payload, this::leafKeys));
        transport.register(ExchangeMessages.FETCH, (from, payload) -> serve(payload, this::fetch));
        transport.register(ExchangeMessages.PUSH, (from, payload) -> serve(payload, this::push));
    }

    /** Thrown inside a handler when the range is not ours as the peer describes it. */
    private static final class NotOurRange extends RuntimeException {
        NotOurRange(String message) {
            super(message, null, false, false);
        }
    }

    private CompletableFuture<byte[]> serve(byte[] payload, Function<byte[], byte[]> work) {
        try {
            return CompletableFuture.supplyAsync(() -> answer(payload, work), executor);
        } catch (RuntimeException e) { // executor shut down: the node is stopping
            return CompletableFuture.completedFuture(ExchangeMessages.errorReply(ExchangeMessages.FAILED, "stopping"));
        }
    }

    private static byte[] answer(byte[] payload, Function<byte[], byte[]> work) {
        try {
            return work.apply(payload);
        } catch (NotOurRange e) {
            return ExchangeMessages.errorReply(ExchangeMessages.RANGE_UNKNOWN, e.getMessage());
        } catch (MalformedExchangeException | MalformedVersionException e) {
            return ExchangeMessages.errorReply(ExchangeMessages.MALFORMED, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("anti-entropy: answering a peer failed", e);
            return ExchangeMessages.errorReply(ExchangeMessages.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private byte[] level(byte[] payload) {
        ExchangeMessages.LevelRequest request = ExchangeMessages.decodeLevelRequest(payload);
        RangeTree tree = tree(request.ref());
        if (request.level() == 0) {
            // A comparison starts at the root: bring the tree up to date with the store first.
            listener.leavesRehashed(tree.refresh(store.engine(), throttle).leavesRehashed());
        }
        long[] hashes = new long[request.positions().length];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = tree.hash(request.level(), request.positions()[i]);
        }
        return ExchangeMessages.levelReply(hashes);
    }

    private byte[] leafKeys(byte[] payload) {
        ExchangeMessages.LeavesRequest request = ExchangeMessages.decodeLeavesRequest(payload);
        RangeTree tree = tree(request.ref());
        List<List<KeyDigest>> out = new ArrayList<>(request.leaves().length);
        for (int leaf : request.leaves()) {
            List<KeyDigest> keys = new ArrayList<>();
            long bytes = 0;
            for (RangeTree.LeafEntry e : tree.entries(store.engine(), leaf)) {
                keys.add(new KeyDigest(e.key(), e.digest()));
                bytes += e.key().length + e.stored().length;
            }
            throttle.pace(bytes);
            out.add(keys);
        }
        return ExchangeMessages.leavesReply(out);
    }

    private byte[] fetch(byte[] payload) {
        ExchangeMessages.KeysRequest request = ExchangeMessages.decodeKeysRequest(payload);
        tree(request.ref());
        List<KeySet> sets = new ArrayList<>(request.keys().size());
        long bytes = 0;
        for (byte[] key : request.keys()) {
            requireInRange(request.ref(), key);
            byte[] stored = store.engine().get(key);
            sets.add(new KeySet(key, stored == null ? new byte[0] : stored));
            bytes += key.length + (stored == null ? 0 : stored.length);
        }
        throttle.pace(bytes);
        return ExchangeMessages.setsReply(sets);
    }

    private byte[] push(byte[] payload) {
        ExchangeMessages.SetsRequest request = ExchangeMessages.decodeSetsRequest(payload);
        tree(request.ref());
        for (KeySet set : request.sets()) {
            requireInRange(request.ref(), set.key());
        }
        long bytes = 0;
        List<KeySet> aheadOfTheSender = new ArrayList<>();
        PendingDurability last = PendingDurability.DONE;
        for (KeySet set : request.sets()) {
            Siblings pushed = set.siblings().length > 0 ? SiblingsCodec.decode(set.siblings()) : Siblings.EMPTY;
            // THE invariant (docs/design/versioning.md): whole sets, merged, never overwritten.
            last = store.applyAllVisible(set.key(), pushed);
            bytes += set.key().length + set.siblings().length;
            Siblings merged = store.read(set.key());
            if (!merged.equals(pushed)) { // this replica held versions the sender lacks: they go back in the answer
                KeySet answer = new KeySet(set.key(), SiblingsCodec.encode(merged));
                aheadOfTheSender.add(answer);
                bytes += answer.key().length + answer.siblings().length;
            }
        }
        last.awaitDurable(); // one fsync for the whole push, before the answer
        throttle.pace(bytes);
        return ExchangeMessages.setsReply(aheadOfTheSender);
    }

    private RangeTree tree(RangeRef ref) {
        if (ref.depth() != depth) {
            throw new NotOurRange("this node's trees have depth " + depth + ", not " + ref.depth());
        }
        return trees.current().tree(ref.range())
                .orElseThrow(() -> new NotOurRange("this node does not replicate the range " + ref.range() + " in its ring"));
    }

    private static void requireInRange(RangeRef ref, byte[] key) {
        if (!ref.range().contains(Token.of(key))) {
            throw new MalformedExchangeException("a key outside the range " + ref.range(), null);
        }
    }
}
