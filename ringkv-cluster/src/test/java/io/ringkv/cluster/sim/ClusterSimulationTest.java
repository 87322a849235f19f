package io.ringkv.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many seeds of {@link ClusterSimulation}: every one must end with no anomaly, and a seed must
 * replay exactly. Three nodes (every node a replica of every key) and five (writes forwarded,
 * sloppy quorums with hints on fallbacks, hinted handoff). {@code -Dringkv.sim.seeds=N} runs N
 * seeds (default 1500 on three nodes, 300 on five) from {@code -Dringkv.sim.seed=S} (default 1);
 * {@code -Dringkv.sim.nodes=K} runs K nodes in the first test and skips the second. A failure prints the command that replays its seed.
 */
class ClusterSimulationTest {
    @TempDir
    Path dir;

    @Test
    void every_seed_keeps_every_acknowledged_write() throws Exception {
        runSeeds(Integer.getInteger("ringkv.sim.nodes", ClusterSimulation.NODES), 1500);
    }

    @Test
    void every_seed_keeps_every_acknowledged_write_with_fallbacks_and_hints() throws Exception {
        if (System.getProperty("ringkv.sim.nodes") == null) {
            runSeeds(5, 300);
        }
    }

    private void runSeeds(int nodes, int defaultSeeds) throws Exception {
        long first = Long.getLong("ringkv.sim.seed", 1);
        int seeds = Integer.getInteger("ringkv.sim.seeds", defaultSeeds);
        long writes = 0;
        long reads = 0;
        long virtualMillis = 0;
        Map<String, Integer> faults = new TreeMap<>();
        long startNanos = System.nanoTime();
        for (long seed = first; seed < first + seeds; seed++) {
            ClusterSimulation.Result result = ClusterSimulation.run(seed,
                    Files.createDirectories(dir.resolve(nodes + "-seed-" + seed)), nodes);
            assertThat(result.anomalies())
                    .as("%s; replay: mvn -B -ntp -pl ringkv-cluster -am test -Dtest=ClusterSimulationTest"
                            + " -Dringkv.sim.seed=%d -Dringkv.sim.seeds=1 -Dringkv.sim.nodes=%d"
                            + " -Dsurefire.failIfNoSpecifiedTests=false",
                            result.summary(), seed, nodes)
                    .isEmpty();
            writes += result.history().writeCount();
            reads += result.history().readCount();
            virtualMillis += result.virtualMillis();
            result.faults().forEach((k, v) -> faults.merge(k, v, Integer::sum));
        }
        System.out.printf("cluster simulation: %d nodes, %d seeds from %d, %d writes, %d reads, faults %s, %d virtual s, %d ms,"
                        + " 0 anomalies%n",
                nodes, seeds, first, writes, reads, faults, virtualMillis / 1000, (System.nanoTime() - startNanos) / 1_000_000);
    }

    @Test
    void a_seed_replays_exactly() throws Exception {
        ClusterSimulation.Result once = ClusterSimulation.run(42, Files.createDirectories(dir.resolve("a")));
        ClusterSimulation.Result again = ClusterSimulation.run(42, Files.createDirectories(dir.resolve("b")));
        assertThat(again.fingerprint()).isEqualTo(once.fingerprint());
        assertThat(again.summary()).isEqualTo(once.summary());
        assertThat(ClusterSimulation.run(43, Files.createDirectories(dir.resolve("c"))).fingerprint()).isNotEqualTo(once.fingerprint());
    }
}
