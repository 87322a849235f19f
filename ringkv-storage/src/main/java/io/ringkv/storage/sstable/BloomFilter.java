package io.ringkv.storage.sstable;

/**
 * A Bloom filter over ring tokens (B. H. Bloom, "Space/Time Trade-offs in Hash Coding with
 * Allowable Errors", CACM 1970): "definitely absent" or "maybe present", so a lookup of a
 * missing key skips a table without touching its data blocks.
 *
 * <p>The k probe positions come from two hashes by double hashing, g_i = h1 + i*h2
 * (A. Kirsch and M. Mitzenmacher, "Less Hashing, Same Performance: Building a Better Bloom
 * Filter", ESA 2006), which keeps the asymptotic false-positive rate of k independent hashes.
 * The token is already an MD5 digest, uniformly distributed, so its two 64-bit halves are
 * h1 and h2 and a probe costs no hashing at all. A position is reduced to [0, m) with
 * Lemire's multiply-shift ({@code unsignedMultiplyHigh(g, m)}) instead of a division.
 * The exact bit layout is part of the file format: docs/design/storage-format.md, "Bloom block".
 */
final class BloomFilter {
    static final int HEADER_BYTES = 12;
    static final int MAX_HASHES = 30;
    /** Keeps the bit array within one Java array. */
    static final long MAX_BITS = (Integer.MAX_VALUE - 64L - HEADER_BYTES) * 8L / 64 * 64;

    private final byte[] bits;
    private final int bitsOffset;
    private final long bitCount;
    private final int hashCount;

    private BloomFilter(byte[] bits, int bitsOffset, long bitCount, int hashCount) {
        this.bits = bits;
        this.bitsOffset = bitsOffset;
        this.bitCount = bitCount;
        this.hashCount = hashCount;
    }

    /** An empty filter sized for {@code expectedEntries} at false-positive rate {@code fpRate}. */
    static BloomFilter create(long expectedEntries, double fpRate) {
        long n = Math.max(1, expectedEntries);
        double ln2 = Math.log(2);
        double idealBits = Math.ceil(-n * Math.log(fpRate) / (ln2 * ln2));
        long m = (long) Math.min(MAX_BITS, Math.max(64, Math.ceil(idealBits / 64) * 64));
        // k from the ideal bits per entry, not the rounded-up m: tiny filters would otherwise get
        // dozens of probes per lookup for a false-positive rate nobody asked for.
        int k = (int) Math.max(1, Math.min(MAX_HASHES, Math.round(-Math.log(fpRate) / ln2)));
        byte[] block = new byte[HEADER_BYTES + (int) (m / 8)];
        BigEndian.putInt(block, 0, k);
        BigEndian.putLong(block, 4, m);
        return new BloomFilter(block, HEADER_BYTES, m, k);
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
        if (m < 64 || m % 64 != 0 || m > MAX_BITS || HEADER_BYTES + m / 8 != storedLength) {
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
        long h1 = BigEndian.getLong(token, 0);
        long h2 = BigEndian.getLong(token, 8);
        long g = h1;
        for (int i = 0; i < hashCount; i++) {
            long bit = Math.unsignedMultiplyHigh(g, bitCount);
            bits[bitsOffset + (int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
            g += h2;
        }
    }

    boolean mightContain(byte[] token) {
        long h1 = BigEndian.getLong(token, 0);
        long h2 = BigEndian.getLong(token, 8);
        long g = h1;
        for (int i = 0; i < hashCount; i++) {
            long bit = Math.unsignedMultiplyHigh(g, bitCount);
            if ((bits[bitsOffset + (int) (bit >>> 3)] & (1 << (bit & 7))) == 0) {
                return false;
            }
            g += h2;
        }
        return true;
    }

    /** The false-positive rate theory predicts after {@code entries} insertions. */
    double expectedFalsePositiveRate(long entries) {
        return Math.pow(1 - Math.exp(-(double) hashCount * entries / bitCount), hashCount);
    }
}
