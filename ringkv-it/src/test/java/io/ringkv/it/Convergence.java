package io.ringkv.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The convergence checker of issue 11: after any scenario, the replicas of every token range
 * hold the same data (equal Merkle roots, docs/design/anti-entropy.md) and no node holds hints
 * (docs/design/hinted-handoff.md). It only observes, through {@code admin/ranges} and
 * {@code admin/hints}: it reads no key and starts no repair, so nothing it does helps the
 * cluster along.
 *
 * <p>Each node reports the ranges it replicates in its own ring. Roots are comparable only when
 * the rings agree, so a poll first requires that (1) every node knows the ring (reports some
 * range), (2) the ranges reported by all nodes together tile the ring exactly once, and (3)
 * every range is reported, with the same replicas, by each of the replicas it names and by no
 * other node. Only then are the replicas' roots compared.
 */
final class Convergence {
    private static final long POLL_MILLIS = 250;
    private static final int DIFFERENCES_SHOWN = 10;

    private Convergence() {
    }

    /**
     * Polls every node of {@code cluster} (all must be serving) until the cluster has converged,
     * prints how long that took, and returns it; fails after {@code limit} with what differs.
     */
    static Duration await(LocalClusterProcesses cluster, Duration limit) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int polls = 0;
        List<String> problems;
        while (true) {
            polls++;
            Snapshot snapshot = Snapshot.take(cluster);
            problems = snapshot.problems();
            if (problems.isEmpty()) {
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("converged in %d ms (%d polls): %d ranges with equal roots on every replica, %d nodes, no hints%n",
                        took.toMillis(), polls, snapshot.rangeCount(), cluster.nodes().size());
                return took;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not converged after " + limit.toMillis() + " ms (" + polls + " polls): "
                        + String.join("; ", problems));
            }
            Await.sleep(POLL_MILLIS);
        }
    }

    /**
     * Waits until every node knows the ring and all report the same one (the first checks of
     * {@link #await}, without comparing roots): before a repair, whose peers refuse ranges that
     * are not theirs.
     */
    static void awaitSameRing(LocalClusterProcesses cluster, Duration limit) {
        Await.until(limit, "every node to report the same ring in admin/ranges", () -> {
            List<String> problems = Snapshot.take(cluster).ringProblems();
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            return true;
        });
    }

    /** One range as one node reports it. */
    private record Reported(String node, List<String> replicas, String root) {
    }

    /** What every node said in one poll. */
    private record Snapshot(Map<String, Map<String, Reported>> rangesByNode, Map<String, Long> pendingHints,
                            List<String> unreachable) {

        static Snapshot take(LocalClusterProcesses cluster) {
            Map<String, Map<String, Reported>> ranges = new TreeMap<>();
            Map<String, Long> hints = new TreeMap<>();
            List<String> unreachable = new ArrayList<>();
            for (NodeSpec node : cluster.nodes()) {
                KvClient client = cluster.client(node.index());
                try {
                    Reply reply = client.send("GET", "/api/v1/admin/ranges", null);
                    if (reply.status() != 200) {
                        unreachable.add(node.id() + " admin/ranges " + reply.status() + " " + reply.error());
                        continue;
                    }
                    Map<String, Reported> mine = new TreeMap<>();
                    for (JsonNode r : reply.json().get("ranges")) {
                        List<String> replicas = new ArrayList<>();
                        r.get("replicas").forEach(id -> replicas.add(id.asText()));
                        mine.put(r.get("from").asText() + ":" + r.get("to").asText(),
                                new Reported(node.id(), replicas, r.get("root").asText()));
                    }
                    ranges.put(node.id(), mine);
                    hints.put(node.id(), AdminProbe.pendingHints(client));
                } catch (RuntimeException e) {
                    unreachable.add(node.id() + ": " + e.getMessage());
                }
            }
            return new Snapshot(ranges, hints, unreachable);
        }

        int rangeCount() {
            return byRange().size();
        }

        /** Every range reported by any node, "from:to" -> the reports, in token order of from. */
        private Map<String, List<Reported>> byRange() {
            Map<String, List<Reported>> all = new TreeMap<>();
            rangesByNode.values().forEach(m -> m.forEach((range, rep) -> all.computeIfAbsent(range, k -> new ArrayList<>()).add(rep)));
            return all;
        }

        /** Empty when converged; else why not, the most basic reason first. */
        List<String> problems() {
            List<String> problems = ringProblems();
            if (!problems.isEmpty()) {
                return problems;
            }
            List<String> rootsDiffer = new ArrayList<>();
            Map<String, List<Reported>> all = byRange();
            for (Map.Entry<String, List<Reported>> e : all.entrySet()) {
                List<Reported> reports = e.getValue();
                if (reports.stream().map(Reported::root).distinct().count() > 1) {
                    StringBuilder roots = new StringBuilder();
                    reports.forEach(r -> roots.append(' ').append(r.node()).append('=').append(r.root()));
                    rootsDiffer.add("(" + e.getKey().replace(":", ", ") + "]" + roots);
                }
            }
            if (!rootsDiffer.isEmpty()) {
                problems.add(rootsDiffer.size() + " of " + all.size() + " ranges have differing roots: "
                        + String.join(", ", rootsDiffer.subList(0, Math.min(DIFFERENCES_SHOWN, rootsDiffer.size())))
                        + (rootsDiffer.size() > DIFFERENCES_SHOWN ? ", ..." : ""));
            }
            long pending = pendingHints.values().stream().mapToLong(Long::longValue).sum();
            if (pending > 0) {
                problems.add(pending + " hints pending " + pendingHints);
            }
            return problems;
        }

        /** Empty when every node answered and all report the same ring, so that roots are comparable. */
        List<String> ringProblems() {
            if (!unreachable.isEmpty()) {
                return new ArrayList<>(List.of("no answer from " + unreachable));
            }
            List<String> problems = new ArrayList<>();
            rangesByNode.forEach((node, ranges) -> {
                if (ranges.isEmpty()) {
                    problems.add(node + " reports no ranges (it does not know the ring yet)");
                }
            });
            Map<String, List<Reported>> all = byRange();
            String tiling = tilingProblem(all.keySet());
            if (tiling != null) {
                problems.add("the nodes' rings differ: " + tiling);
            }
            List<String> ringDiffers = new ArrayList<>();
            for (Map.Entry<String, List<Reported>> e : all.entrySet()) {
                List<Reported> reports = e.getValue();
                List<String> replicas = reports.get(0).replicas();
                boolean agreed = reports.size() == replicas.size()
                        && reports.stream().allMatch(r -> r.replicas().equals(replicas) && replicas.contains(r.node()));
                if (!agreed) {
                    ringDiffers.add("(" + e.getKey().replace(":", ", ") + "] " + reports);
                }
            }
            if (!ringDiffers.isEmpty()) {
                problems.add(ringDiffers.size() + " ranges not reported alike by all their replicas, e.g. "
                        + ringDiffers.subList(0, Math.min(3, ringDiffers.size())));
            }
            return problems;
        }

        /**
         * Null when the ranges ("from:to", sorted by from) tile the ring: each starts where the
         * one before it (in ring order) ends. Ranges of two different rings overlap or leave gaps.
         */
        private static String tilingProblem(java.util.Set<String> ranges) {
            if (ranges.isEmpty()) {
                return "no node reports any range";
            }
            List<String[]> sorted = ranges.stream().map(r -> r.split(":")).toList();
            for (int i = 0; i < sorted.size(); i++) {
                String[] previous = sorted.get((i + sorted.size() - 1) % sorted.size());
                String[] range = sorted.get(i);
                if (!range[0].equals(previous[1])) {
                    return "range (" + range[0] + ", " + range[1] + "] does not start where (" + previous[0] + ", "
                            + previous[1] + "] ends (" + sorted.size() + " distinct ranges reported)";
                }
            }
            return null;
        }
    }
}
