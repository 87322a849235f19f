package io.ringkv.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a partition-aware client knows of the cluster: the ring's tokens and their owners (from
 * {@code GET /api/v1/ring}) and each node's HTTP address and liveness (from
 * {@code GET /api/v1/cluster}). An immutable value: {@link RingRefresher} builds a new one and
 * swaps it in; requests read whichever is current.
 *
 * <p>A key's range is the server's (Dynamo §4.3; docs/design/ring.md): the vnode whose token is
 * the first at or after the key's token owns the range {@code (previous token, token]}. Its
 * replicas are the ones the node placed for that range and served with the ring
 * ({@code replicas}), so racks and data centers are placed exactly as the coordinators place
 * them, by the server's own code: the client has no placement rules of its own to keep in step.
 * From a node too old to serve them, the client walks clockwise from the vnode and takes the
 * first {@code replicas} distinct nodes, which is the server's placement on a ring of one rack in
 * one data center; with racks or per-data-center counts the server would skip nodes, but the
 * first node (the token's owner) is still a replica, so a request reaches a replica first and at
 * worst a later fallback costs one forwarding hop.
 */
final class RingView {
    private final String version;
    private final long[] tokenHigh;
    private final long[] tokenLow;
    private final int[] ownerOfToken;
    /** Per token (ring order), its range's replicas as indexes into nodeIds; null: walk the ring instead. */
    private final int[][] placedReplicas;
    private final String[] nodeIds;
    private final URI[] uriOfNode; // null when the cluster view gave no HTTP address
    private final boolean[] downNode;
    private final int replicas;
    /** The members' ids, statuses and token counts: when it changes, the ring may have changed. */
    private final String membershipFingerprint;

    /**
     * @param placedReplicas for each token (same order as {@code tokens}), its range's replicas as
     *                       indexes into {@code nodeIds}, as the server placed them; null to walk
     *                       the ring instead (a server that does not serve them)
     */
    RingView(String version, List<KeyToken> tokens, List<Integer> owners, List<int[]> placedReplicas, List<String> nodeIds,
             Map<String, URI> uris, Map<String, Boolean> down, int replicas, String membershipFingerprint) {
        if (tokens.isEmpty() || tokens.size() != owners.size()) {
            throw new IllegalArgumentException("a ring view needs tokens, each with an owner");
        }
        if (placedReplicas != null && placedReplicas.size() != tokens.size()) {
            throw new IllegalArgumentException("a ring view needs the replicas of every token's range or of none");
        }
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
        }
        Integer[] order = new Integer[tokens.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> tokens.get(a).compareTo(tokens.get(b)));
        this.tokenHigh = new long[order.length];
        this.tokenLow = new long[order.length];
        this.ownerOfToken = new int[order.length];
        this.placedReplicas = placedReplicas == null ? null : new int[order.length][];
        for (int i = 0; i < order.length; i++) {
            tokenHigh[i] = tokens.get(order[i]).high();
            tokenLow[i] = tokens.get(order[i]).low();
            ownerOfToken[i] = owners.get(order[i]);
            if (placedReplicas != null) {
                this.placedReplicas[i] = placedReplicas.get(order[i]).clone();
            }
        }
        this.version = version;
        this.nodeIds = nodeIds.toArray(String[]::new);
        this.uriOfNode = new URI[this.nodeIds.length];
        this.downNode = new boolean[this.nodeIds.length];
        for (int n = 0; n < this.nodeIds.length; n++) {
            uriOfNode[n] = uris.get(this.nodeIds[n]);
            downNode[n] = down.getOrDefault(this.nodeIds[n], false);
        }
        this.replicas = Math.min(replicas, this.nodeIds.length);
        this.membershipFingerprint = membershipFingerprint;
    }

    String version() {
        return version;
    }

    String membershipFingerprint() {
        return membershipFingerprint;
    }

    /** The reachable nodes of this view (those with an HTTP address). */
    List<URI> nodes() {
        List<URI> out = new ArrayList<>(uriOfNode.length);
        for (URI uri : uriOfNode) {
            if (uri != null) {
                out.add(uri);
            }
        }
        return out;
    }

    /** This view with the members' addresses and liveness of a newer cluster answer (same ring). */
    RingView withMembers(Map<String, URI> uris, Map<String, Boolean> down, int replicas, String fingerprint) {
        return new RingView(this, uris, down, replicas, fingerprint);
    }

    private RingView(RingView ring, Map<String, URI> uris, Map<String, Boolean> down, int replicas, String fingerprint) {
        this.version = ring.version;
        this.tokenHigh = ring.tokenHigh;
        this.tokenLow = ring.tokenLow;
        this.ownerOfToken = ring.ownerOfToken;
        this.placedReplicas = ring.placedReplicas;
        this.nodeIds = ring.nodeIds;
        this.uriOfNode = new URI[nodeIds.length];
        this.downNode = new boolean[nodeIds.length];
        for (int n = 0; n < nodeIds.length; n++) {
            uriOfNode[n] = uris.get(nodeIds[n]);
            downNode[n] = down.getOrDefault(nodeIds[n], false);
        }
        this.replicas = Math.min(replicas, nodeIds.length);
        this.membershipFingerprint = fingerprint;
    }

    /** The ids of the key's preference list, in ring order from the key; the first owns the key's token. */
    List<String> preferenceList(byte[] key) {
        List<String> out = new ArrayList<>(replicas);
        for (int n : replicaIndexes(KeyToken.of(key))) {
            out.add(nodeIds[n]);
        }
        return out;
    }

    /**
     * The nodes to try for {@code key}, best first: the key's replicas that are not DOWN, starting
     * at replica {@code rotation mod replicas} (so that reads of one hot key spread over its
     * replicas) and going on in ring order; then every other node not DOWN (any node can coordinate
     * any key); then the DOWN ones, as a last resort (the cluster's view may be stale).
     */
    List<URI> order(byte[] key, int rotation) {
        int[] replicaIdx = replicaIndexes(KeyToken.of(key));
        List<URI> out = new ArrayList<>(uriOfNode.length);
        List<URI> last = null;
        boolean[] taken = new boolean[nodeIds.length];
        int start = Math.floorMod(rotation, replicaIdx.length);
        for (int i = 0; i < replicaIdx.length; i++) {
            int n = replicaIdx[(start + i) % replicaIdx.length];
            taken[n] = true;
            last = add(out, last, n);
        }
        for (int n = 0; n < nodeIds.length; n++) {
            if (!taken[n]) {
                last = add(out, last, n);
            }
        }
        if (last != null) {
            out.addAll(last);
        }
        return out;
    }

    private List<URI> add(List<URI> healthy, List<URI> down, int n) {
        URI uri = uriOfNode[n];
        if (uri == null) {
            return down;
        }
        if (!downNode[n]) {
            healthy.add(uri);
            return down;
        }
        List<URI> d = down == null ? new ArrayList<>(2) : down;
        d.add(uri);
        return d;
    }

    /**
     * The replicas of the range that holds {@code t}: as the server placed them, or (from an older
     * server) the first {@code replicas} distinct owners clockwise from the vnode that owns it.
     * Callers must not modify the array.
     */
    private int[] replicaIndexes(KeyToken t) {
        int start = vnodeFor(t);
        if (placedReplicas != null) {
            return placedReplicas[start];
        }
        int[] out = new int[replicas];
        int found = 0;
        boolean[] seen = new boolean[nodeIds.length];
        int vnodes = ownerOfToken.length;
        for (int step = 0; step < vnodes && found < replicas; step++) {
            int owner = ownerOfToken[(start + step) % vnodes];
            if (!seen[owner]) {
                seen[owner] = true;
                out[found++] = owner;
            }
        }
        return found == replicas ? out : Arrays.copyOf(out, found);
    }

    /** The index of the first token at or after {@code t}, wrapping to 0 past the last token. */
    private int vnodeFor(KeyToken t) {
        int lo = 0;
        int hi = ownerOfToken.length; // first index whose token >= t lies in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(tokenHigh[mid], t.high());
            if (c == 0) {
                c = Long.compareUnsigned(tokenLow[mid], t.low());
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == ownerOfToken.length ? 0 : lo;
    }
}
