package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.antientropy.ExchangeMessages.KeyDigest;
import io.ringkv.cluster.antientropy.ExchangeMessages.KeySet;
import io.ringkv.cluster.antientropy.ExchangeMessages.RangeRef;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.Token;
import io.ringkv.core.version.MalformedVersionException;
import io.ringkv.core.version.SiblingsCodec;
import java.nio.ByteBuffer;
import io.ringkv.storage.PendingDurability;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The comparing side of one exchange: one range, one other replica (Dynamo §4.7). In named
 * steps, each a round trip or a batch of them:
 * <ol>
 *   <li><b>descend</b>: ask for the root, then, {@link #LEVELS_PER_STEP} levels at a time, for
 *       the descendants of every node whose hash differs from ours (one message per step), down
 *       to the differing leaves; equal replicas stop after the root;</li>
 *   <li><b>list</b>: ask for the keys and digests of the differing leaves and scan ours;</li>
 *   <li><b>pull</b>: fetch the peer's whole sibling set of every key only it holds and merge
 *       it into our store ({@link ReplicaStore#applyAll});</li>
 *   <li><b>push</b>: send our whole set of every other key we hold differently; the peer merges
 *       it and answers with its merged set of each key where it held versions we lack, which we
 *       merge in turn. A key we are ahead on thus moves once, not three times (their set to us,
 *       then ours back), and one they are ahead on costs our set and theirs, as a pull would.</li>
 * </ol>
 * Merging both ways leaves both replicas with the join of the two sets: concurrent versions
 * stay as siblings, nothing is overwritten (docs/design/versioning.md). Blocking: runs on
 * anti-entropy's executor; every message is paced by the {@link Throttle}.
 */
final class RangeExchange {
    /** What one exchange found and moved. */
    record Outcome(boolean differing, int leavesDiffering, long keysPulled, long keysPushed, long bytes) {
    }

    private final Transport transport;
    private final ReplicaStore store;
    private final Throttle throttle;
    private final long timeoutMillis;

    private long bytes;

    RangeExchange(Transport transport, ReplicaStore store, Throttle throttle, long timeoutMillis) {
        this.transport = transport;
        this.store = store;
        this.throttle = throttle;
        this.timeoutMillis = timeoutMillis;
    }

    /** Compares {@code tree} (refreshed by the caller) with the peer at {@code peer}'s copy and repairs both. */
    Outcome run(RangeTree tree, PeerAddress peer) {
        bytes = 0;
        RangeRef ref = new RangeRef(tree.range(), tree.depth());
        int[] leaves = descend(tree, ref, peer);
        if (leaves.length == 0) {
            return new Outcome(false, 0, 0, 0, bytes);
        }
        List<byte[]> toPull = new ArrayList<>();
        List<KeySet> toPush = new ArrayList<>();
        for (int from = 0; from < leaves.length; from += AntiEntropyConfig.MAX_LEAVES_PER_MESSAGE) {
            int[] batch = Arrays.copyOfRange(leaves, from, Math.min(leaves.length, from + AntiEntropyConfig.MAX_LEAVES_PER_MESSAGE));
            list(tree, ref, peer, batch, toPull, toPush);
        }
        pull(ref, peer, toPull);
        long returned = push(ref, peer, toPush);
        return new Outcome(true, leaves.length, toPull.size() + returned, toPush.size(), bytes);
    }

    /**
     * Levels skipped per round trip below the root. Each message repeats the 34-byte range header,
     * so with few differing nodes a walk one level at a time is mostly headers: asking for the
     * grandchildren of every differing node (4 hashes each) halves the round trips and cuts the walk's
     * bytes by about a third (docs/performance-notes.md); any differing node has a differing descendant at
     * every level below it, so nothing is missed.
     */
    static final int LEVELS_PER_STEP = 2;

    /** The leaves whose hashes differ, ascending; empty when the roots agree. */
    private int[] descend(RangeTree tree, RangeRef ref, PeerAddress peer) {
        int[] positions = {0};
        int level = 0;
        while (true) {
            int[] asked = positions;
            int at = level;
            long[] theirs = ask(peer, ExchangeMessages.TREE_LEVEL, ExchangeMessages.levelRequest(ref, level, asked),
                    reply -> ExchangeMessages.decodeLevelReply(reply, asked.length));
            int[] differing = new int[asked.length];
            int n = 0;
            for (int i = 0; i < asked.length; i++) {
                if (tree.hash(at, asked[i]) != theirs[i]) {
                    differing[n++] = asked[i];
                }
            }
            if (n == 0 || level == tree.depth()) {
                return Arrays.copyOf(differing, n);
            }
            int step = Math.min(LEVELS_PER_STEP, tree.depth() - level);
            int fanout = 1 << step;
            positions = new int[fanout * n];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < fanout; c++) {
                    positions[fanout * i + c] = (differing[i] << step) + c;
                }
            }
            level += step;
        }
    }

    private void list(RangeTree tree, RangeRef ref, PeerAddress peer, int[] leaves, List<byte[]> toPull, List<KeySet> toPush) {
        List<List<KeyDigest>> theirs = ask(peer, ExchangeMessages.LEAF_KEYS, ExchangeMessages.leavesRequest(ref, leaves),
                reply -> ExchangeMessages.decodeLeavesReply(reply, leaves.length));
        for (int i = 0; i < leaves.length; i++) {
            Map<ByteBuffer, RangeTree.LeafEntry> ours = new HashMap<>();
            long scanned = 0;
            for (RangeTree.LeafEntry e : tree.entries(store.engine(), leaves[i])) {
                ours.put(ByteBuffer.wrap(e.key()), e);
                scanned += e.key().length + e.stored().length;
            }
            throttle.pace(scanned);
            for (KeyDigest kd : theirs.get(i)) {
                RangeTree.LeafEntry mine = ours.remove(ByteBuffer.wrap(kd.key()));
                if (mine == null) {
                    toPull.add(kd.key());
                } else if (mine.digest() != kd.digest()) {
                    toPush.add(new KeySet(mine.key(), mine.stored())); // the answer brings what they hold and we lack
                }
            }
            for (RangeTree.LeafEntry onlyOurs : ours.values()) {
                toPush.add(new KeySet(onlyOurs.key(), onlyOurs.stored()));
            }
        }
    }

    /** Fetches and merges the peer's sets of {@code keys}. */
    private void pull(RangeRef ref, PeerAddress peer, List<byte[]> keys) {
        for (int from = 0; from < keys.size(); from += AntiEntropyConfig.MAX_KEYS_PER_MESSAGE) {
            List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + AntiEntropyConfig.MAX_KEYS_PER_MESSAGE));
            List<KeySet> sets = ask(peer, ExchangeMessages.FETCH, ExchangeMessages.keysRequest(ref, batch),
                    ExchangeMessages::decodeSetsReply);
            PendingDurability last = PendingDurability.DONE;
            for (KeySet set : sets) {
                if (set.siblings().length == 0) {
                    continue; // gone at the peer since it listed it (purged): nothing to merge
                }
                last = mergeTheirs(ref, set);
            }
            last.awaitDurable(); // one fsync for the batch
        }
    }

    /**
     * Merges a set the peer sent into our store: THE invariant (docs/design/versioning.md), whole
     * sets, never overwritten. Readable at once; the caller awaits the durability of a batch's last.
     */
    private PendingDurability mergeTheirs(RangeRef ref, KeySet set) {
        if (!ref.range().contains(Token.of(set.key()))) {
            throw new MalformedExchangeException("the peer sent a key outside " + ref.range(), null);
        }
        try {
            return store.applyAllVisible(set.key(), SiblingsCodec.decode(set.siblings()));
        } catch (MalformedVersionException e) {
            throw new MalformedExchangeException("the peer sent an unreadable sibling set: " + e.getMessage(), e);
        }
    }

    /** Sends our sets of {@code sets}' keys and merges what the peer answers; returns how many keys it answered with. */
    private long push(RangeRef ref, PeerAddress peer, List<KeySet> sets) {
        long returned = 0;
        List<KeySet> batch = new ArrayList<>();
        long batchBytes = 0;
        for (KeySet set : sets) {
            long size = set.key().length + set.siblings().length;
            if (!batch.isEmpty() && (batch.size() == AntiEntropyConfig.MAX_KEYS_PER_MESSAGE
                    || batchBytes + size > AntiEntropyConfig.MAX_SET_BYTES_PER_MESSAGE)) {
                returned += sendPush(ref, peer, batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(set);
            batchBytes += size;
        }
        if (!batch.isEmpty()) {
            returned += sendPush(ref, peer, batch);
        }
        return returned;
    }

    private int sendPush(RangeRef ref, PeerAddress peer, List<KeySet> batch) {
        List<KeySet> theirs = ask(peer, ExchangeMessages.PUSH, ExchangeMessages.setsRequest(ref, batch),
                ExchangeMessages::decodeSetsReply);
        PendingDurability last = PendingDurability.DONE;
        for (KeySet set : theirs) {
            last = mergeTheirs(ref, set);
        }
        last.awaitDurable();
        return theirs.size();
    }

    /** One round trip, counted and paced; every failure becomes an {@link ExchangeFailedException}. */
    private <T> T ask(PeerAddress peer, int type, byte[] request, Function<byte[], T> decode) {
        byte[] reply;
        try {
            reply = transport.request(peer, type, request, timeoutMillis).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ExchangeFailedException("no answer from " + peer + ": " + cause.getMessage(), cause);
        } catch (RuntimeException e) {
            throw new ExchangeFailedException("cannot ask " + peer + ": " + e.getMessage(), e);
        }
        long size = request.length + reply.length;
        bytes += size;
        throttle.pace(size);
        return decode.apply(reply);
    }
}
