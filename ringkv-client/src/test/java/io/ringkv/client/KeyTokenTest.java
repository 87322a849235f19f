package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The client's ring math against the server's own (ringkv-core, test scope only): the same
 * token for every key, and, when the client walks the ring itself (a server that does not serve
 * each range's replicas), the same preference list on a ring with one rack. With racks and data
 * centers the client uses the replicas the server placed: RackAwareRoutingTest.
 */
class KeyTokenTest {
    private final Random random = new Random(13);

    @Test
    void a_keys_token_is_the_servers_token() {
        List<byte[]> keys = new ArrayList<>(List.of(new byte[0], new byte[] {(byte) 0xFF}, "cart:ada".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 2_000; i++) {
            byte[] key = new byte[random.nextInt(64)];
            random.nextBytes(key);
            keys.add(key);
        }
        for (byte[] key : keys) {
            Token server = Token.of(key);
            KeyToken client = KeyToken.of(key);
            assertThat(client.high()).isEqualTo(server.high());
            assertThat(client.low()).isEqualTo(server.low());
            assertThat(KeyToken.parse(server.toString())).isEqualTo(client);
        }
    }

    @Test
    void tokens_order_as_unsigned_128_bit_numbers() {
        for (int i = 0; i < 2_000; i++) {
            Token a = new Token(random.nextLong(), random.nextLong());
            Token b = new Token(random.nextBoolean() ? a.high() : random.nextLong(), random.nextLong());
            assertThat(Integer.signum(new KeyToken(a.high(), a.low()).compareTo(new KeyToken(b.high(), b.low()))))
                    .isEqualTo(Integer.signum(a.compareTo(b)));
        }
    }

    @Test
    void the_preference_list_is_the_servers_for_every_n() {
        Ring ring = Ring.empty();
        List<KeyToken> tokens = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, URI> uris = new HashMap<>();
        for (int n = 0; n < 5; n++) {
            String id = "node" + (n + 1);
            List<Token> nodeTokens = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                Token token = new Token(random.nextLong(), random.nextLong());
                nodeTokens.add(token);
                tokens.add(new KeyToken(token.high(), token.low()));
                owners.add(n);
            }
            ring = ring.withNode(Member.of(id), nodeTokens);
            ids.add(id);
            uris.put(id, URI.create("http://127.0.0." + (n + 1) + ":8000"));
        }
        for (int replicas = 1; replicas <= 5; replicas++) {
            RingView view = new RingView("v", tokens, owners, null, ids, uris, Map.of(), replicas, "");
            for (int i = 0; i < 500; i++) {
                byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
                assertThat(view.preferenceList(key)).as("key-%d, N=%d", i, replicas)
                        .isEqualTo(ring.preferenceList(key, ReplicationStrategy.simple(replicas)).replicas());
            }
        }
    }
}
