package io.ringkv.storage.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.Compression;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BloomFilterTest {

    // Bloom 1970: a filter never forgets an inserted element, whatever its size or load.
    @Property(tries = 200)
    void hasNoFalseNegatives(@ForAll("tokenLists") List<byte[]> tokens,
                             @ForAll @DoubleRange(min = 0.0001, max = 0.9) @Scale(5) double fpRate,
                             @ForAll @LongRange(min = 0, max = 3000) long expectedEntries) {
        BloomFilter filter = BloomFilter.create(expectedEntries, fpRate);
        tokens.forEach(filter::add);
        for (byte[] t : tokens) {
            assertThat(filter.mightContain(t)).isTrue();
        }
        BloomFilter reread = BloomFilter.parse(filter.encoded(), filter.encoded().length);
        for (byte[] t : tokens) {
            assertThat(reread.mightContain(t)).isTrue();
        }
    }

    @Provide
    Arbitrary<List<byte[]>> tokenLists() {
        return Arbitraries.bytes().array(byte[].class).ofSize(16).list().ofMinSize(0).ofMaxSize(2000);
    }

    // Putze et al. 2007 / Kirsch & Mitzenmacher 2006: a blocked filter probed by double hashing
    // has the false-positive rate of the Poisson model our sizing inverts, so about p.
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.01, 0.001, 0.0001})
    void measuredFalsePositiveRateIsCloseToTheConfiguredRate(double p) {
        int n = 50_000;
        BloomFilter filter = BloomFilter.create(n, p);
        for (int i = 0; i < n; i++) {
            filter.add(KeyOrder.token(("present-" + i).getBytes()));
        }
        int probes = p < 0.001 ? 2_000_000 : 400_000;
        int positives = 0;
        for (int i = 0; i < probes; i++) {
            if (filter.mightContain(KeyOrder.token(("absent-" + i).getBytes()))) {
                positives++;
            }
        }
        double measured = (double) positives / probes;
        assertThat(filter.expectedFalsePositiveRate(n)).isBetween(p * 0.9, p * 1.1);
        assertThat(measured).isBetween(p * 0.8, p * 1.25);
    }

    @Test
    void sizingMeetsTheRateWithAFewPercentMoreBitsThanAnUnblockedFilter() {
        BloomFilter onePercent = BloomFilter.create(1_000_000, 0.01);
        assertThat(onePercent.hashCount()).isEqualTo(6);
        double bitsPerEntry = onePercent.bitCount() / 1_000_000.0;
        assertThat(bitsPerEntry).isBetween(9.585, 9.585 * 1.05); // unblocked optimum: 9.585
        assertThat(onePercent.bitCount() % BloomFilter.BLOCK_BITS).isZero();
        assertThat(onePercent.expectedFalsePositiveRate(1_000_000)).isBetween(0.0098, 0.0100);
        assertThat(BloomFilter.create(0, 0.01).bitCount()).isEqualTo(BloomFilter.BLOCK_BITS);
        assertThat(BloomFilter.create(10, 0.5).hashCount()).isEqualTo(1);
        for (double p : new double[] {0.3, 0.1, 0.01, 0.001, 0.0001}) {
            BloomFilter.Sizing sizing = BloomFilter.sizing(p);
            assertThat(BloomFilter.blockedFalsePositiveRate(sizing.bitsPerEntry(), sizing.hashCount()))
                    .isLessThanOrEqualTo(p).isGreaterThan(p * 0.95);
        }
    }

    @Test
    void theBlockedModelAgreesWithTheClassicFormulaWhenBlocksAreCrowded() {
        // With hundreds of entries per block, blocks fill evenly and the Poisson mixture
        // approaches the unblocked (1 - e^(-k/c))^k.
        double c = 2;
        int k = 1;
        double classic = Math.pow(1 - Math.exp(-k / c), k);
        assertThat(BloomFilter.blockedFalsePositiveRate(c, k)).isCloseTo(classic, org.assertj.core.data.Percentage.withPercentage(2));
        // With few entries per block, unequal loads make blocking cost accuracy.
        assertThat(BloomFilter.blockedFalsePositiveRate(10, 7)).isGreaterThan(Math.pow(1 - Math.exp(-0.7), 7));
    }

    @Test
    void parseRejectsHeadersThatDoNotMatchTheBlock() {
        byte[] good = BloomFilter.create(100, 0.01).encoded();
        assertThatThrownBy(() -> BloomFilter.parse(good, good.length - 1)).isInstanceOf(MalformedException.class);
        byte[] badK = good.clone();
        BigEndian.putInt(badK, 0, 31);
        assertThatThrownBy(() -> BloomFilter.parse(badK, badK.length)).isInstanceOf(MalformedException.class);
        byte[] badM = good.clone();
        BigEndian.putLong(badM, 4, 512 * 100);
        assertThatThrownBy(() -> BloomFilter.parse(badM, badM.length)).isInstanceOf(MalformedException.class);
        assertThatThrownBy(() -> BloomFilter.parse(new byte[5], 5)).isInstanceOf(MalformedException.class);
    }

    @Test
    void aTableSkipsMissingKeysAtTheConfiguredRate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int n = 20_000;
        List<InternalEntry> entries = new ArrayList<>();
        Random rnd = new Random(1);
        for (int i = 0; i < n; i++) {
            entries.add(InternalEntry.of(("present-" + i).getBytes(), i, EntryKind.PUT, 0, new byte[rnd.nextInt(8)]));
        }
        entries.sort(InternalEntry.ORDER);
        Path path = dir.resolve("1.sst");
        TestTables.write(path, entries, new SSTableWriterOptions(4096, Compression.LZ4, 0.02, n));
        ReadStats stats = new ReadStats();
        try (SSTableReader reader = SSTableReader.open(path, 1, new BlockCache(1 << 20), stats)) {
            int probes = 100_000;
            for (int i = 0; i < probes; i++) {
                byte[] key = ("absent-" + i).getBytes();
                assertThat(reader.get(KeyOrder.token(key), key)).isNull();
            }
            assertThat(stats.bloomChecks()).isEqualTo(probes);
            assertThat(stats.bloomNegatives() + stats.bloomFalsePositives()).isEqualTo(probes);
            double measured = stats.bloomFalsePositives() / (double) probes;
            assertThat(measured).isBetween(0.02 * 0.8, 0.02 * 1.25);
            // a false positive costs at most one block read, a negative costs none
            assertThat(stats.blockReads()).isLessThanOrEqualTo(stats.bloomFalsePositives());
        }
        assertThat(Files.size(path)).isPositive();
    }
}
