package io.ringkv.core.ring;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Data centers and racks of a ring's members, numbered once so replica walks use arrays. */
final class Topology {
    final int[] dataCenterOf;
    /** A (data center, rack) pair: racks are failure domains within their data center. */
    final int[] domainOf;
    final Map<String, Integer> dataCenterIndex;
    final int[] nodesInDataCenter;
    final int[] racksInDataCenter;
    final int domainCount;

    private Topology(int[] dataCenterOf, int[] domainOf, Map<String, Integer> dataCenterIndex,
            int[] nodesInDataCenter, int[] racksInDataCenter, int domainCount) {
        this.dataCenterOf = dataCenterOf;
        this.domainOf = domainOf;
        this.dataCenterIndex = dataCenterIndex;
        this.nodesInDataCenter = nodesInDataCenter;
        this.racksInDataCenter = racksInDataCenter;
        this.domainCount = domainCount;
    }

    static Topology of(Member[] members) {
        Map<String, Integer> dcs = new HashMap<>();
        Map<String, Integer> domains = new HashMap<>();
        int[] dcOf = new int[members.length];
        int[] domainOf = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            Member m = members[i];
            dcOf[i] = dcs.computeIfAbsent(m.dataCenter(), k -> dcs.size());
            domainOf[i] = domains.computeIfAbsent(m.dataCenter() + '\u0000' + m.rack(), k -> domains.size());
        }
        int[] nodes = new int[dcs.size()];
        int[] racks = new int[dcs.size()];
        Set<Integer> countedDomains = new HashSet<>();
        for (int i = 0; i < members.length; i++) {
            nodes[dcOf[i]]++;
            if (countedDomains.add(domainOf[i])) {
                racks[dcOf[i]]++;
            }
        }
        return new Topology(dcOf, domainOf, Map.copyOf(dcs), nodes, racks, domains.size());
    }
}
