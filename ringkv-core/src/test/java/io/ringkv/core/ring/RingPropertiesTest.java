package io.ringkv.core.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Preference-list invariants over random rings (random tokens, 1..4 racks, 1..2 data centers). */
class RingPropertiesTest {

    static Ring randomRing(long seed, int nodes, int racks, int dataCenters, int vnodes) {
        SplittableRandom random = new SplittableRandom(seed);
        Ring ring = Ring.empty();
        for (int i = 0; i < nodes; i++) {
            List<Token> tokens = new ArrayList<>();
            for (int v = 0; v < vnodes; v++) {
                tokens.add(new Token(random.nextLong(), random.nextLong()));
            }
            ring = ring.withNode(new Member("n" + i, "dc" + (i % dataCenters), "r" + random.nextInt(racks), 1), tokens);
        }
        return ring;
    }

    static List<Token> probes(long seed) {
        SplittableRandom random = new SplittableRandom(~seed);
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            out.add(new Token(random.nextLong(), random.nextLong()));
        }
        return out;
    }

    @Property(tries = 200)
    void replicas_are_distinct_and_exactly_min_of_n_and_nodes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int nodes,
            @ForAll @IntRange(min = 1, max = 4) int racks, @ForAll @IntRange(min = 1, max = 5) int n) {
        Ring ring = randomRing(seed, nodes, racks, 1, 8);
        for (Token t : probes(seed)) {
            PreferenceList p = ring.preferenceList(t, ReplicationStrategy.simple(n));
            List<String> replicas = p.replicas();
            assertThat(new HashSet<>(replicas)).hasSameSizeAs(replicas);
            assertThat(replicas).hasSize(Math.min(n, nodes));
            assertThat(replicas.get(0)).isEqualTo(ring.primaryOwner(t));
            Set<String> all = new HashSet<>(replicas);
            all.addAll(p.fallbacks());
            assertThat(all).hasSize(nodes);
            assertThat(p.fallbacks()).doesNotContainAnyElementsOf(replicas);
        }
    }

    @Property(tries = 200)
    void replicas_use_distinct_racks_while_there_are_enough(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int nodes,
            @ForAll @IntRange(min = 1, max = 4) int racks, @ForAll @IntRange(min = 1, max = 5) int n) {
        Ring ring = randomRing(seed, nodes, racks, 1, 8);
        long rackCount = ring.members().stream().map(Member::rack).distinct().count();
        for (Token t : probes(seed)) {
            List<String> replicas = ring.preferenceList(t, ReplicationStrategy.simple(n)).replicas();
            long distinctRacks = replicas.stream().map(id -> ring.member(id).orElseThrow().rack()).distinct().count();
            assertThat(distinctRacks).isEqualTo(Math.min(replicas.size(), rackCount));
        }
    }

    @Property(tries = 100)
    void preference_lists_are_deterministic(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int nodes) {
        Ring a = randomRing(seed, nodes, 3, 2, 8);
        Ring b = randomRing(seed, nodes, 3, 2, 8);
        var strategy = ReplicationStrategy.perDataCenter(Map.of("dc0", 2, "dc1", 1));
        for (Token t : probes(seed)) {
            assertThat(a.preferenceList(t, strategy).replicas()).isEqualTo(b.preferenceList(t, strategy).replicas());
            assertThat(a.preferenceList(t, strategy).fallbacks()).isEqualTo(b.preferenceList(t, strategy).fallbacks());
            // the cached answer equals a fresh one
            assertThat(a.preferenceList(t, strategy).replicas()).isEqualTo(a.preferenceList(t, strategy).replicas());
        }
    }

    @Property(tries = 200)
    void per_data_center_counts_are_met_within_each_data_center(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int nodes,
            @ForAll @IntRange(min = 1, max = 3) int east, @ForAll @IntRange(min = 1, max = 3) int west) {
        Ring ring = randomRing(seed, nodes, 2, 2, 8);
        long eastNodes = ring.members().stream().filter(m -> m.dataCenter().equals("dc0")).count();
        long westNodes = ring.members().stream().filter(m -> m.dataCenter().equals("dc1")).count();
        var strategy = ReplicationStrategy.perDataCenter(Map.of("dc0", east, "dc1", west));
        for (Token t : probes(seed)) {
            List<String> replicas = ring.preferenceList(t, strategy).replicas();
            long inEast = replicas.stream().filter(id -> ring.member(id).orElseThrow().dataCenter().equals("dc0")).count();
            assertThat(inEast).isEqualTo(Math.min(east, eastNodes));
            assertThat(replicas.size() - inEast).isEqualTo(Math.min(west, westNodes));
        }
    }

    /** Consistent hashing's promise: a join changes owners only where the joiner now owns. */
    @Property(tries = 200)
    void a_join_moves_only_keys_to_the_joiner(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int nodes,
            @ForAll @IntRange(min = 1, max = 4) int n, @ForAll boolean balanced) {
        Ring before = randomRing(seed, nodes, 1, 1, 8);
        TokenAllocator allocator = balanced ? new BalancedTokenAllocator(8) : new RandomTokenAllocator(8, seed);
        Ring after = allocator.join(before, Member.of("joiner"));
        for (Token t : probes(seed)) {
            String ownerBefore = before.primaryOwner(t);
            String ownerAfter = after.primaryOwner(t);
            if (!ownerBefore.equals(ownerAfter)) {
                assertThat(ownerAfter).isEqualTo("joiner");
            }
            List<String> replicasBefore = before.preferenceList(t, ReplicationStrategy.simple(n)).replicas();
            List<String> replicasAfter = after.preferenceList(t, ReplicationStrategy.simple(n)).replicas();
            if (!replicasAfter.contains("joiner")) {
                assertThat(replicasAfter).isEqualTo(replicasBefore);
            } else {
                assertThat(replicasBefore).containsAll(replicasAfter.stream().filter(r -> !r.equals("joiner")).toList());
            }
        }
    }

    @Property(tries = 100)
    void a_leave_moves_only_the_leavers_keys(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int nodes, @ForAll boolean balanced) {
        Ring before = randomRing(seed, nodes, 1, 1, 8);
        TokenAllocator allocator = balanced ? new BalancedTokenAllocator(8) : new RandomTokenAllocator(8, seed);
        String leaver = "n" + Math.floorMod(seed, nodes);
        Ring after = allocator.leave(before, leaver);
        assertThat(after.contains(leaver)).isFalse();
        for (Token t : probes(seed)) {
            if (!before.primaryOwner(t).equals(leaver)) {
                assertThat(after.primaryOwner(t)).isEqualTo(before.primaryOwner(t));
            }
        }
        double leaverShare = Ownership.primary(before).get(leaver);
        assertThat(Ownership.primaryMoved(before, after)).isCloseTo(leaverShare, org.assertj.core.data.Offset.offset(1e-9));
    }
}
