package io.ringkv.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenTest {

    @Test
    void a_key_token_is_its_md5_digest() {
        assertThat(Token.of(new byte[0]).toString()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Token.of("abc".getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    }

    @Test
    void tokens_compare_as_unsigned_big_endian_numbers() {
        Token small = Token.parse("7fffffffffffffffffffffffffffffff");
        Token big = Token.parse("80000000000000000000000000000000");
        assertThat(small).isLessThan(big);
        assertThat(Token.parse("000000000000000000000000000000ff")).isGreaterThan(Token.parse("0000000000000000000000000000007f"));
        assertThat(Token.MIN).isLessThan(Token.MAX);
        assertThat(Token.parse("00000000000000018000000000000000")).isGreaterThan(Token.parse("00000000000000017fffffffffffffff"));
    }

    @Test
    void bytes_and_hex_round_trip() {
        Token t = Token.of("k".getBytes(StandardCharsets.UTF_8));
        assertThat(Token.fromBytes(t.toBytes())).isEqualTo(t);
        assertThat(Token.parse(t.toString())).isEqualTo(t);
        assertThatThrownBy(() -> Token.fromBytes(new byte[15])).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> Token.parse("zz")).hasMessageContaining("32 hex digits");
        assertThatThrownBy(() -> Token.parse("g".repeat(32))).hasMessageContaining("hex digits only");
    }

    @Test
    void plus_wraps_around_the_top_of_the_ring() {
        assertThat(Token.MAX.plus(0, 1)).isEqualTo(Token.MIN);
        assertThat(new Token(0, -1L).plus(0, 1)).isEqualTo(new Token(1, 0));
    }

    @Test
    void range_fractions() {
        Token quarter = Token.parse("40000000000000000000000000000000");
        Token half = Token.parse("80000000000000000000000000000000");
        assertThat(new TokenRange(quarter, half).fraction()).isEqualTo(0.25);
        assertThat(new TokenRange(half, quarter).fraction()).isEqualTo(0.75);
        assertThat(new TokenRange(half, half).fraction()).isEqualTo(1.0);
        assertThat(new TokenRange(quarter, half).contains(half)).isTrue();
        assertThat(new TokenRange(quarter, half).contains(quarter)).isFalse();
        assertThat(new TokenRange(half, quarter).contains(Token.MIN)).isTrue();
        assertThat(new TokenRange(half, half).contains(quarter)).isTrue();
    }

    @Test
    void distance_converts_fractions_back() {
        long[] d = RingMath.distance(0.5);
        assertThat(d[0]).isEqualTo(Long.MIN_VALUE);
        assertThat(d[1]).isZero();
        assertThat(RingMath.fraction(0, 0, d[0], d[1])).isEqualTo(0.5);
        assertThatThrownBy(() -> RingMath.distance(1.0)).hasMessageContaining("[0, 1)");
    }
}
