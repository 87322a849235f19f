package io.ringkv.storage.sstable;

/**
 * A cache-line-blocked Bloom filter over ring tokens: "definitely absent" or "maybe present",
 * so a lookup of a missing key skips a table without touching its data blocks.
 *
 * <p>Bloom (CACM 1970) sets k bits spread over the whole array, so each lookup costs up to k
 * cache misses and as many TLB misses; a point read that checks several tables pays that for
 * every table. Following Putze, Sanders and Singler ("Cache-, Hash- and Space-Efficient Bloom
 * Filters", WEA 2007) and RocksDB's FastLocalBloom, each token picks one 512-bit block (one
 * cache line's worth) and sets all its k bits there, so a lookup touches one block. The token
 * is already an MD5 digest, uniformly distributed, so no hashing is done at all: its first 64
 * bits choose the block (Lemire's multiply-shift range reduction) and its last 64 bits, h,
 * give the positions in the block as the top 9 bits of h, h*G, h*G^2, ... (G the odd 64-bit
 * golden-ratio constant; Knuth's multiplicative hashing, as RocksDB does). We tried
 * Kirsch-Mitzenmacher double hashing (g_i = a + i*b; "Less Hashing, Same Performance",
 * ESA 2006) first: it is exact asymptotically, but in a 512-bit block the keys whose step b is
 * near a multiple of 512 put all k bits in one or two places, and the measured rate at
 * p = 0.1% came out 40% above the model. The multiplicative sequence has no such keys.
 *
 * <p>Blocking costs accuracy, because blocks receive unequal numbers of keys; we size for the
 * exact false-positive rate of a blocked filter (a Poisson mixture over keys per block, see
 * {@link #blockedFalsePositiveRate}), so the configured rate is the rate one measures. The bit
 * layout is part of the file format: docs/design/storage-format.md, "Bloom block".
 */
final class BloomFilter {
    static final int HEADER_BYTES = 12;
    static final int MAX_HASHES = 30;
    static final int BLOCK_BITS = 512;
    private static final int BLOCK_BYTES = BLOCK_BITS / 8;
    /** 2^64 / golden ratio, odd: multiplying by it permutes 64-bit values and mixes upward. */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Keeps the bit array within one Java array. */
    static final long MAX_BITS = (Integer.MAX_VALUE - 64L - HEADER_BYTES) * 8L / BLOCK_BITS * BLOCK_BITS;

    private final byte[] bits;
    private final int bitsOffset;
    private final long bitCount;
    private final long blockCount;
    private final int hashCount;

    private BloomFilter(byte[] bits, int bitsOffset, long bitCount, int hashCount) {
        this.bits = bits;
        this.bitsOffset = bitsOffset;
        this.bitCount = bitCount;
        this.blockCount = bitCount / BLOCK_BITS;
        this.hashCount = hashCount;
    }

    /** An empty filter sized for {@code expectedEntries} at false-positive rate {@code fpRate}. */
    static BloomFilter create(long expectedEntries, double fpRate) {
        long n = Math.max(1, expectedEntries);
        Sizing s = sizing(fpRate);
        double bits = Math.ceil(n * s.bitsPerEntry() / BLOCK_BITS) * BLOCK_BITS;
        long m = (long) Math.min(MAX_BITS, Math.max(BLOCK_BITS, bits));
        byte[] block = new byte[HEADER_BYTES + (int) (m / 8)];
        BigEndian.putInt(block, 0, s.hashCount());
        BigEndian.putLong(block, 4, m);
        return new BloomFilter(block, HEADER_BYTES, m, s.hashCount());
    }

    record Sizing(double bitsPerEntry, int hashCount) {
    }

    /**
     * The fewest bits per entry (in steps of 1/32) and the best k for that, such that a blocked
     * filter's false-positive rate is at most {@code fpRate}. Starts from the unblocked
     * optimum, -log2(p) / ln 2 bits, which blocking can only raise.
     */
    static Sizing sizing(double fpRate) {
        double ln2 = Math.log(2);
        double bitsPerEntry = Math.floor(-Math.log(fpRate) / (ln2 * ln2) * 32) / 32;
        for (int step = 0; step < 32 * 64; step++, bitsPerEntry += 1.0 / 32) {
            int center = (int) Math.round(bitsPerEntry * ln2);
            for (int k = Math.max(1, center - 2); k <= Math.min(MAX_HASHES, center + 2); k++) {
                if (blockedFalsePositiveRate(bitsPerEntry, k) <= fpRate) {
                    return new Sizing(bitsPerEntry, k);
                }
            }
        }
        return new Sizing(bitsPerEntry, Math.min(MAX_HASHES, (int) Math.round(bitsPerEntry * ln2)));
    }

    /**
     * The false-positive rate of a blocked filter with {@code bitsPerEntry} bits per entry and
     * k bits per entry set in one 512-bit block: the number of entries in a block is Poisson
     * with mean 512/bitsPerEntry, and a block holding j entries answers "maybe" with
     * probability (1 - (1 - 1/512)^(kj))^k.
     */
    static double blockedFalsePositiveRate(double bitsPerEntry, int k) {
        double lambda = BLOCK_BITS / bitsPerEntry;
        int maxJ = (int) (lambda + 12 * Math.sqrt(lambda) + 20);
        double logPmf = -lambda; // log P(j = 0)
        double rate = 0;
        double missOne = Math.log1p(-1.0 / BLOCK_BITS);
        for (int j = 0; j <= maxJ; j++) {
            if (j > 0) {
                logPmf += Math.log(lambda) - Math.log(j);
            }
            double bitSet = -Math.expm1(k * j * missOne);
            rate += Math.exp(logPmf) * Math.pow(bitSet, k);
        }
        return rate;
    }

    /**
     * A filter over a verified bloom block's stored bytes {@code block[0, storedLength)}; the
     * array is used as is, not copied.
     */
    static BloomFilter parse(byte[] block, int storedLength) {
        if (storedLength < HEADER_BYTES) {
            throw new MalformedException("bloom block of " + storedLength + " bytes has no header");
        }
        int k = BigEndian.getInt(block, 0);
        long m = BigEndian.getLong(block, 4);
        if (k < 1 || k > MAX_HASHES) {
            throw new MalformedException("bloom hash count " + k + " outside 1.." + MAX_HASHES);
        }
        if (m < BLOCK_BITS || m % BLOCK_BITS != 0 || m > MAX_BITS || HEADER_BYTES + m / 8 != storedLength) {
            throw new MalformedException("bloom bit count " + m + " does not match its " + storedLength + "-byte block");
        }
        return new BloomFilter(block, HEADER_BYTES, m, k);
    }

    /** The block's stored bytes: header and bits. Only for filters made by {@link #create}. */
    byte[] encoded() {
        return bits;
    }

    int hashCount() {
        return hashCount;
    }

    long bitCount() {
        return bitCount;
    }

    void add(byte[] token) {
        int base = blockStart(token);
        long h = BigEndian.getLong(token, 8);
        for (int i = 0; i < hashCount; i++) {
            int bit = (int) (h >>> 55); // top 9 bits: a position in the 512-bit block
            bits[base + (bit >>> 3)] |= (byte) (1 << (bit & 7));
            h *= GOLDEN;
        }
    }

    boolean mightContain(byte[] token) {
        int base = blockStart(token);
        long h = BigEndian.getLong(token, 8);
        for (int i = 0; i < hashCount; i++) {
            int bit = (int) (h >>> 55);
            if ((bits[base + (bit >>> 3)] & (1 << (bit & 7))) == 0) {
                return false;
            }
            h *= GOLDEN;
        }
        return true;
    }

    private int blockStart(byte[] token) {
        long block = Math.unsignedMultiplyHigh(BigEndian.getLong(token, 0), blockCount);
        return bitsOffset + (int) block * BLOCK_BYTES;
    }

    /** The false-positive rate the model predicts after {@code entries} insertions. */
    double expectedFalsePositiveRate(long entries) {
        return blockedFalsePositiveRate((double) bitCount / Math.max(1, entries), hashCount);
    }
}
