package io.ringkv.cluster.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.storage.format.KeyOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The ring and the storage engine must place keys identically: scans of a token range rely on it. */
class TokenAgreementTest {

    @Property
    void ring_token_is_the_storage_token(@ForAll byte[] key) {
        assertThat(Token.of(key).toBytes()).isEqualTo(KeyOrder.token(key));
    }

    @Property
    void token_order_and_ranges_agree(@ForAll byte[] a, @ForAll byte[] b, @ForAll byte[] c) {
        Token ta = Token.of(a);
        Token tb = Token.of(b);
        Token tc = Token.of(c);
        assertThat(Integer.signum(ta.compareTo(tb))).isEqualTo(Integer.signum(KeyOrder.compareUnsigned(ta.toBytes(), tb.toBytes())));
        assertThat(new TokenRange(ta, tb).contains(tc)).isEqualTo(KeyOrder.inRange(tc.toBytes(), ta.toBytes(), tb.toBytes()));
        assertThat(new TokenRange(ta, ta).contains(tc)).isEqualTo(KeyOrder.inRange(tc.toBytes(), ta.toBytes(), ta.toBytes()));
    }
}
