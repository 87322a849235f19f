package io.ringkv.storage.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BlockFrequencySketchTest {
    @Test
    void countsLookupsUpToTheCounterLimit() {
        BlockFrequencySketch sketch = new BlockFrequencySketch(1000);
        long block = BlockCache.hash(4, 17);
        assertThat(sketch.frequency(block)).isZero();
        for (int i = 1; i <= 20; i++) {
            sketch.increment(block);
            assertThat(sketch.frequency(block)).isEqualTo(Math.min(i, BlockFrequencySketch.MAX_FREQUENCY));
        }
        assertThat(sketch.frequency(BlockCache.hash(4, 18))).as("a neighbour block").isZero();
    }

    // Count-min: collisions only add, so no block's estimate falls below its true count (until
    // the sketch ages). The sample is ten lookups per expected block, more than any list here.
    @Property(tries = 200)
    void neverUnderestimatesBeforeAging(@ForAll("lookups") List<Integer> blocks) {
        BlockFrequencySketch sketch = new BlockFrequencySketch(64);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int b : blocks) {
            sketch.increment(BlockCache.hash(1, b));
            counts.merge(b, 1, Integer::sum);
        }
        counts.forEach((b, n) -> assertThat(sketch.frequency(BlockCache.hash(1, b)))
                .as("block %d looked up %d times", b, n)
                .isGreaterThanOrEqualTo(Math.min(n, BlockFrequencySketch.MAX_FREQUENCY)));
    }

    @Provide
    Arbitrary<List<Integer>> lookups() {
        return Arbitraries.integers().between(0, 200).list().ofMaxSize(600);
    }

    @Test
    void estimatesStayCloseWhenTheSketchIsSizedForTheBlocks() {
        int blocks = 4096;
        BlockFrequencySketch sketch = new BlockFrequencySketch(blocks);
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < b % 4; i++) {
                sketch.increment(BlockCache.hash(9, b));
            }
        }
        int exact = 0;
        for (int b = 0; b < blocks; b++) {
            if (sketch.frequency(BlockCache.hash(9, b)) == b % 4) {
                exact++;
            }
        }
        assertThat(exact).as("blocks whose estimate is exact").isGreaterThan(blocks * 9 / 10);
    }

    @Test
    void agingHalvesEveryCountSoRecentLookupsWin() {
        BlockFrequencySketch sketch = new BlockFrequencySketch(16); // a sample of 160 lookups
        long old = BlockCache.hash(1, 1);
        for (int i = 0; i < 12; i++) {
            sketch.increment(old);
        }
        assertThat(sketch.frequency(old)).isEqualTo(12);
        long other = BlockCache.hash(2, 2);
        for (int i = 0; i < 160 - 12; i++) {
            sketch.increment(other); // the 160th lookup of the sample halves every counter
        }
        assertThat(sketch.frequency(old)).isEqualTo(6);
        assertThat(sketch.frequency(other)).isEqualTo(BlockFrequencySketch.MAX_FREQUENCY / 2);
    }
}
