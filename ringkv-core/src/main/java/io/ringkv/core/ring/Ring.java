package io.ringkv.core.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The consistent-hashing ring (Karger et al. 1997, "Consistent Hashing and Random Trees";
 * Dynamo §4.2): every physical node holds several virtual nodes (tokens) on a 128-bit circle,
 * and the vnode at token t owns the keys whose tokens fall in (previous token, t]. Adding or
 * removing a node moves only the ranges next to its tokens; many small vnodes per node spread
 * that movement, and the load, over the whole cluster, and let a bigger node take more vnodes.
 * Which tokens a node takes is decided elsewhere ({@link TokenAllocator}).
 *
 * <p>An immutable value, like riak_core's ring: operations return new rings, and a holder
 * swaps the current one atomically. Tokens are kept in sorted arrays so a key's position is a
 * binary search; each vnode's replica set is computed once per strategy and cached.
 */
public final class Ring {
    /** Bound on the total number of vnodes, so every walk and array stays bounded. */
    public static final int MAX_TOKENS = 1 << 24;

    private static final Ring EMPTY = new Ring(new Member[0], new long[0], new long[0], new int[0]);

    private final Member[] members;
    private final Map<String, Integer> memberIndex;
    private final long[] tokenHigh;
    private final long[] tokenLow;
    private final int[] owner;
    private volatile Topology topology;
    private final Map<ReplicationStrategy, AtomicReferenceArray<int[]>> replicaCache = new ConcurrentHashMap<>();

    private Ring(Member[] sortedMembers, long[] tokenHigh, long[] tokenLow, int[] owner) {
        this.members = sortedMembers;
        this.tokenHigh = tokenHigh;
        this.tokenLow = tokenLow;
        this.owner = owner;
        Map<String, Integer> index = new HashMap<>(sortedMembers.length * 2);
        for (int i = 0; i < sortedMembers.length; i++) {
            index.put(sortedMembers[i].nodeId(), i);
        }
        this.memberIndex = index;
    }

    public static Ring empty() {
        return EMPTY;
    }

    // ---- membership changes -------------------------------------------------------------

    /**
     * This ring with {@code member} holding exactly {@code tokens} (replacing its descriptor and
     * tokens if it is already a member). A token another node already holds goes to the node
     * with the smaller id, the rule every node applies alike when two joiners picked the same
     * token from stale views; the loser then simply holds fewer tokens and may claim again.
     */
    public Ring withNode(Member member, Collection<Token> tokens) {
        Objects.requireNonNull(member, "member");
        TreeSet<Token> claimed = new TreeSet<>(tokens);
        if (claimed.isEmpty()) {
            throw new IllegalArgumentException("node " + member.nodeId() + " must hold at least one token");
        }
        Ring base = memberIndex.containsKey(member.nodeId()) ? withoutNode(member.nodeId()) : this;
        if ((long) base.tokenCount() + claimed.size() > MAX_TOKENS) {
            throw new IllegalArgumentException("a ring holds at most " + MAX_TOKENS + " tokens");
        }
        Member[] newMembers = Arrays.copyOf(base.members, base.members.length + 1);
        newMembers[base.members.length] = member;
        Arrays.sort(newMembers, (a, b) -> a.nodeId().compareTo(b.nodeId()));
        int newIndex = Arrays.binarySearch(newMembers, member, (a, b) -> a.nodeId().compareTo(b.nodeId()));

        int n = base.tokenCount();
        long[] hi = new long[n + claimed.size()];
        long[] lo = new long[n + claimed.size()];
        int[] own = new int[n + claimed.size()];
        int i = 0;
        int out = 0;
        for (Token t : claimed) {
            while (i < n && compare(base.tokenHigh[i], base.tokenLow[i], t.high(), t.low()) < 0) {
                hi[out] = base.tokenHigh[i];
                lo[out] = base.tokenLow[i];
                own[out++] = shifted(base.owner[i++], newIndex);
            }
            boolean collision = i < n && base.tokenHigh[i] == t.high() && base.tokenLow[i] == t.low();
            hi[out] = t.high();
            lo[out] = t.low();
            if (collision) {
                int existing = shifted(base.owner[i++], newIndex);
                own[out++] = newMembers[existing].nodeId().compareTo(member.nodeId()) < 0 ? existing : newIndex;
            } else {
                own[out++] = newIndex;
            }
        }
        while (i < n) {
            hi[out] = base.tokenHigh[i];
            lo[out] = base.tokenLow[i];
            own[out++] = shifted(base.owner[i++], newIndex);
        }
        Ring r = new Ring(newMembers, Arrays.copyOf(hi, out), Arrays.copyOf(lo, out), Arrays.copyOf(own, out));
        return r.dropMembersWithoutTokens();
    }

    private static int shifted(int oldIndex, int insertedAt) {
        return oldIndex >= insertedAt ? oldIndex + 1 : oldIndex;
    }

    /** This ring without {@code nodeId}: each of its ranges joins the next vnode clockwise. */
    public Ring withoutNode(String nodeId) {
        Integer gone = memberIndex.get(nodeId);
        if (gone == null) {
            return this;
        }
        Member[] newMembers = new Member[members.length - 1];
        System.arraycopy(members, 0, newMembers, 0, gone);
        System.arraycopy(members, gone + 1, newMembers, gone, members.length - gone - 1);
        int n = tokenCount();
        long[] hi = new long[n];
        long[] lo = new long[n];
        int[] own = new int[n];
        int out = 0;
        for (int i = 0; i < n; i++) {
            if (owner[i] != gone) {
                hi[out] = tokenHigh[i];
                lo[out] = tokenLow[i];
                own[out++] = owner[i] > gone ? owner[i] - 1 : owner[i];
            }
        }
        return new Ring(newMembers, Arrays.copyOf(hi, out), Arrays.copyOf(lo, out), Arrays.copyOf(own, out));
    }

    /**
     * This ring with the given tokens handed to other existing members; ranges stay where they
     * are, only their owners change (how a leaving node's share goes to chosen receivers). A
     * member left with no tokens is removed.
     */
    public Ring withTokensReassigned(Map<Token, String> newOwners) {
        int[] own = owner.clone();
        for (Map.Entry<Token, String> e : newOwners.entrySet()) {
            int at = indexOf(e.getKey());
            if (at < 0) {
                throw new IllegalArgumentException("token " + e.getKey() + " is not on the ring");
            }
            Integer to = memberIndex.get(e.getValue());
            if (to == null) {
                throw new IllegalArgumentException("node " + e.getValue() + " is not a member of the ring");
            }
            own[at] = to;
        }
        return new Ring(members, tokenHigh, tokenLow, own).dropMembersWithoutTokens();
    }

    private Ring dropMembersWithoutTokens() {
        int[] counts = new int[members.length];
        for (int o : owner) {
            counts[o]++;
        }
        Ring r = this;
        for (int i = members.length - 1; i >= 0; i--) {
            if (counts[i] == 0) {
                r = r.withoutNode(members[i].nodeId());
            }
        }
        return r;
    }

    // ---- queries ------------------------------------------------------------------------

    public boolean isEmpty() {
        return members.length == 0;
    }

    /** Number of physical nodes. */
    public int size() {
        return members.length;
    }

    /** Number of vnodes (tokens) on the ring. */
    public int tokenCount() {
        return owner.length;
    }

    /** The members, sorted by node id. */
    public List<Member> members() {
        return List.of(members);
    }

    public Optional<Member> member(String nodeId) {
        Integer i = memberIndex.get(nodeId);
        return i == null ? Optional.empty() : Optional.of(members[i]);
    }

    public boolean contains(String nodeId) {
        return memberIndex.containsKey(nodeId);
    }

    /** The token of vnode {@code index} (vnodes are numbered in token order). */
    public Token token(int index) {
        return new Token(tokenHigh[index], tokenLow[index]);
    }

    /** The node owning vnode {@code index}. */
    public String ownerAt(int index) {
        return members[owner[index]].nodeId();
    }

    /** The range vnode {@code index} owns: (previous token, its token]. */
    public TokenRange rangeAt(int index) {
        int prev = index == 0 ? owner.length - 1 : index - 1;
        return new TokenRange(token(prev), token(index));
    }

    /** The tokens {@code nodeId} holds, ascending. */
    public List<Token> tokensOf(String nodeId) {
        Integer m = memberIndex.get(nodeId);
        List<Token> out = new ArrayList<>();
        if (m != null) {
            for (int i = 0; i < owner.length; i++) {
                if (owner[i] == m) {
                    out.add(token(i));
                }
            }
        }
        return out;
    }

    /** The ranges {@code nodeId} owns as primary, in token order. */
    public List<TokenRange> rangesOf(String nodeId) {
        Integer m = memberIndex.get(nodeId);
        List<TokenRange> out = new ArrayList<>();
        if (m != null) {
            for (int i = 0; i < owner.length; i++) {
                if (owner[i] == m) {
                    out.add(rangeAt(i));
                }
            }
        }
        return out;
    }

    /** The vnode whose range holds {@code t}: the first token >= t, wrapping to vnode 0. */
    public int vnodeIndexFor(Token t) {
        if (owner.length == 0) {
            throw new IllegalStateException("the ring is empty");
        }
        int lo = 0;
        int hi = owner.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(tokenHigh[mid], tokenLow[mid], t.high(), t.low());
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return lo == owner.length ? 0 : lo;
    }

    /** The node owning {@code t} as primary (the coordinator in Dynamo's terms). */
    public String primaryOwner(Token t) {
        return ownerAt(vnodeIndexFor(t));
    }

    /** Where a key's replicas live, and who stands in when they are down. */
    public PreferenceList preferenceList(byte[] key, ReplicationStrategy strategy) {
        return preferenceList(Token.of(key), strategy);
    }

    public PreferenceList preferenceList(Token t, ReplicationStrategy strategy) {
        if (owner.length == 0) {
            return new PreferenceList(this, 0, new int[0]);
        }
        int vnode = vnodeIndexFor(t);
        return new PreferenceList(this, vnode, replicasOfVnode(vnode, strategy));
    }

    /** The replica set of a vnode's range, computed once per strategy. */
    int[] replicasOfVnode(int vnode, ReplicationStrategy strategy) {
        AtomicReferenceArray<int[]> cache = replicaCache.computeIfAbsent(strategy, s -> new AtomicReferenceArray<>(owner.length));
        int[] replicas = cache.get(vnode);
        if (replicas == null) {
            replicas = ReplicaWalk.replicas(this, topology(), vnode, strategy);
            cache.set(vnode, replicas);
        }
        return replicas;
    }

    // ---- package-private access for walks, allocation and statistics ---------------------

    int ownerIndex(int vnode) {
        return owner[vnode];
    }

    Member memberAt(int memberIndex) {
        return members[memberIndex];
    }

    int memberIndexOf(String nodeId) {
        Integer i = memberIndex.get(nodeId);
        return i == null ? -1 : i;
    }

    long tokenHigh(int vnode) {
        return tokenHigh[vnode];
    }

    long tokenLow(int vnode) {
        return tokenLow[vnode];
    }

    /** The share of the ring vnode {@code i} owns. */
    double rangeFraction(int i) {
        int prev = i == 0 ? owner.length - 1 : i - 1;
        return RingMath.fraction(tokenHigh[prev], tokenLow[prev], tokenHigh[i], tokenLow[i]);
    }

    Topology topology() {
        Topology t = topology;
        if (t == null) {
            t = Topology.of(members);
            topology = t;
        }
        return t;
    }

    private int indexOf(Token t) {
        if (owner.length == 0) {
            return -1;
        }
        int i = vnodeIndexFor(t);
        return tokenHigh[i] == t.high() && tokenLow[i] == t.low() ? i : -1;
    }

    static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int c = Long.compareUnsigned(aHigh, bHigh);
        return c != 0 ? c : Long.compareUnsigned(aLow, bLow);
    }

    /** Equal when the members and every token's owner are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Ring r) || !Arrays.equals(members, r.members)) {
            return false;
        }
        return Arrays.equals(tokenHigh, r.tokenHigh) && Arrays.equals(tokenLow, r.tokenLow) && Arrays.equals(owner, r.owner);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(members) * 31 + Arrays.hashCode(tokenLow) * 17 + Arrays.hashCode(owner);
    }

    @Override
    public String toString() {
        return "Ring{" + members.length + " nodes, " + owner.length + " vnodes}";
    }
}
