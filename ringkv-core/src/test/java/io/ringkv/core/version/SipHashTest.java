package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The test vectors of the SipHash paper (Aumasson and Bernstein 2012, appendix A): key 00..0f, messages 00..(n-1). */
class SipHashTest {
    static final SipHash SIP = new SipHash(sequence(16));

    @Test
    void matches_the_papers_vectors() {
        assertThat(SIP.hash(sequence(0), 0, 0)).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(SIP.hash(sequence(1), 0, 1)).isEqualTo(0x74f839c593dc67fdL);
        assertThat(SIP.hash(sequence(15), 0, 15)).isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void hashes_only_the_given_range() {
        byte[] padded = new byte[20];
        System.arraycopy(sequence(15), 0, padded, 3, 15);
        assertThat(SIP.hash(padded, 3, 15)).isEqualTo(0xa129ca6149be45e5L);
    }

    private static byte[] sequence(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
