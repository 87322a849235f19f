package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringkv.cluster.admin.HintQueue;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.server.config.HttpConfig;
import io.ringkv.server.http.ApiSettings;
import io.ringkv.server.http.ClusterStatus;
import io.ringkv.server.http.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ringkv admin --url URL repair|hints|status} against a real HTTP server whose NodeAdmin
 * is scripted: progress lines and exit statuses, and one line on stderr for every failure.
 */
class AdminCommandTest {
    private static final String FROM = "00000000000000000000000000000001";
    private static final String TO = "7fffffffffffffffffffffffffffffff";

    private final ScriptedNodeAdmin admin = new ScriptedNodeAdmin();
    private HttpServer server;
    private String url;

    @BeforeEach
    void start() {
        server = start(admin);
        url = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static HttpServer start(ScriptedNodeAdmin admin) {
        return start(admin, new ClusterStatus("node1", List.of(member("node1", "UP", 0.5), member("node2", "DOWN", 0.5)),
                2, 1, 1, null));
    }

    private static HttpServer start(ScriptedNodeAdmin admin, ClusterStatus status) {
        return HttpServer.start(new HttpConfig("127.0.0.1", 0, 8, 32 << 10, 1), new ApiSettings("node1", 1024, 10240, 2),
                new NoStore(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> status, Optional::empty, admin, null);
    }

    private static ClusterStatus.Member member(String id, String liveness, double share) {
        return new ClusterStatus.Member(id, "NORMAL", liveness, 1, 2, id.equals("node1") ? 0 : 16_200, "127.0.0.1:900" + id.charAt(4),
                "127.0.0.1:800" + id.charAt(4), "dc1", "rack1", 1.0, 256, share);
    }

    @Test
    void repair_prints_a_line_per_step_of_progress_and_exits_0_when_done() {
        CliRun run = CliRun.of("admin", "--url", url, "repair", "--poll-millis", "10");
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                repair 7 started on %s: all ranges, 4 ranges
                repair 7 running: 0/4 ranges (0 differing), 0 keys and 0 B exchanged, 0 ms
                repair 7 running: 1/4 ranges (0 differing), 40 keys and 2.0 KiB exchanged, 1.5 s
                repair 7 running: 2/4 ranges (1 differing), 80 keys and 4.0 KiB exchanged, 3.0 s
                repair 7 running: 3/4 ranges (1 differing), 120 keys and 6.0 KiB exchanged, 4.5 s
                repair 7 done: 4/4 ranges (2 differing), 160 keys and 8.0 KiB exchanged, 6.0 s
                """.formatted(url));
        assertThat(admin.lastRange).isEmpty();
    }

    @Test
    void decommission_prints_progress_and_exits_0_once_the_node_has_left_and_stopped() {
        admin.onLeft = () -> closeSoon(server); // a node that left stops by itself, after answering DONE
        CliRun run = CliRun.of("admin", "--url", url, "decommission", "--poll-millis", "10");
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                decommissioning %s: it announces LEAVING and hands its ranges over
                streaming: 0/3 ranges, 0 keys, 0 B, 2.0 KiB/s, 0 ms elapsed, ETA 15.0 s
                streaming: 1/3 ranges, 100 keys, 10.0 KiB, 2.0 KiB/s, 5.0 s elapsed, ETA 10.0 s
                streaming: 2/3 ranges, 200 keys, 20.0 KiB, 2.0 KiB/s, 10.0 s elapsed, ETA 5.0 s
                done: 3/3 ranges, 300 keys, 30.0 KiB, 2.0 KiB/s, 15.0 s elapsed
                %s has left the cluster and stopped
                """.formatted(url, url));
    }

    @Test
    void a_node_that_stops_before_a_poll_sees_done_has_left_if_the_others_see_it_left() {
        ClusterStatus seenByNode2 = new ClusterStatus("node2", List.of(
                new ClusterStatus.Member("node1", "LEFT", "DOWN", 1, 2, 5_000, "127.0.0.1:9001", "127.0.0.1:1", "dc1", "rack1", 1.0, 0, 0),
                member("node2", "UP", 1.0)), 2, 1, 1, null);
        try (HttpServer node2 = start(new ScriptedNodeAdmin(), seenByNode2)) {
            server.close();
            String node2Http = "127.0.0.1:" + node2.address().getPort();
            server = start(admin, new ClusterStatus("node1", List.of(member("node1", "UP", 0.5),
                    new ClusterStatus.Member("node2", "NORMAL", "UP", 1, 2, 0, "127.0.0.1:9002", node2Http, "dc1", "rack1", 1.0, 256, 0.5)),
                    2, 1, 1, null));
            url = "http://127.0.0.1:" + server.address().getPort();
            admin.stopAtRanges = 2; // its last range and its exit fall between two polls
            admin.onLeft = () -> closeSoon(server);
            CliRun run = CliRun.of("admin", "--url", url, "decommission", "--poll-millis", "1000");
            assertThat(run.status()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).endsWith("""
                    streaming: 2/3 ranges, 200 keys, 20.0 KiB, 2.0 KiB/s, 10.0 s elapsed, ETA 5.0 s
                    done: it has left (seen LEFT by the other nodes) and stopped answering
                    """);
        }
    }

    @Test
    void a_node_that_stops_before_done_while_the_others_do_not_see_it_left_is_exit_1() {
        admin.stopAtRanges = 2;
        admin.onLeft = () -> closeSoon(server); // node2 of the default status does not answer
        CliRun run = CliRun.of("admin", "--url", url, "decommission", "--poll-millis", "1000");
        run.assertOneLine(1, "cannot reach " + url + ": connection refused");
    }

    /** Stops the server a little after this request's answer went out, as a node exits after its last answer. */
    private static void closeSoon(HttpServer server) {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.close();
        });
    }

    @Test
    void repair_of_a_range_sends_it_to_the_node() {
        CliRun run = CliRun.of("admin", "--url", url + "/", "repair", "--range", FROM + ":" + TO.toUpperCase(), "--poll-millis", "10");
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(admin.lastRange).contains(new TokenRange(Token.parse(FROM), Token.parse(TO)));
        assertThat(run.out()).startsWith("repair 7 started on " + url + ": (" + FROM + ", " + TO + "], 4 ranges\n");
    }

    @Test
    void a_failed_repair_exits_1_with_its_reason_in_one_line() {
        admin.failAfterRanges = 2;
        CliRun run = CliRun.of("admin", "--url", url, "repair", "--poll-millis", "10");
        run.assertOneLine(1, "repair 7 failed after 2/4 ranges: node3 did not answer within 10000 ms");
        assertThat(run.out()).contains("repair 7 running: 1/4 ranges").contains("repair 7 failed: 2/4 ranges");
    }

    @Test
    void repair_without_waiting_returns_after_starting_it() {
        CliRun run = CliRun.of("admin", "--url", url, "repair", "--no-wait");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("repair 7 started on " + url + ": all ranges, 4 ranges\n"
                + "follow it with: ringkv admin --url " + url + " status\n");
        assertThat(admin.polls).hasValue(0);
    }

    @Test
    void an_unreachable_node_is_exit_1_and_one_line() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        for (String command : List.of("repair", "hints", "status")) {
            CliRun.of("admin", "--url", "http://127.0.0.1:" + closedPort, command)
                    .assertOneLine(1, "cannot reach http://127.0.0.1:" + closedPort + ": connection refused");
        }
    }

    @Test
    void an_http_error_is_exit_1_with_the_nodes_message() {
        try (HttpServer withoutAdmin = HttpServer.start(new HttpConfig("127.0.0.1", 0, 8, 32 << 10, 1),
                new ApiSettings("node1", 1024, 10240, 2), new NoStore(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            String plain = "http://127.0.0.1:" + withoutAdmin.address().getPort();
            CliRun.of("admin", "--url", plain, "repair").assertOneLine(1, plain + "/api/v1/admin/repair answered 404 no_route:"
                    + " no endpoint at /api/v1/admin/repair");
            CliRun.of("admin", "--url", plain, "hints").assertOneLine(1, "answered 404 no_route");
        }
    }

    @Test
    void bad_arguments_are_usage_errors_exit_2_with_one_line() {
        CliRun.of("admin", "--url", url, "repair", "--range", FROM).assertOneLine(2,
                "Invalid value for option '--range': expected FROM:TO, two tokens of 32 hex digits");
        CliRun.of("admin", "--url", url, "repair", "--range", FROM + ":xyz").assertOneLine(2, "TO is not a token");
        CliRun.of("admin", "repair").assertOneLine(2, "Missing required option: '--url=URL'");
        CliRun.of("admin", "--url", url).assertOneLine(2, "missing command; expected one of: status, ring, stats");
        CliRun.of("admin", "--url", "ftp://127.0.0.1:1", "hints").assertOneLine(2, "--url must be a node's HTTP address");
        CliRun.of("admin", "--url", url + "/api/v1", "hints").assertOneLine(2, "--url must be a node's HTTP address");
        CliRun.of("admin", "--url", url, "repair", "--poll-millis", "0").assertOneLine(2, "--poll-millis must be at least 10");
        assertThat(admin.lastRange).isNull(); // nothing was started
        assertThat(CliRun.of("admin", "--help").status()).isZero();
        assertThat(CliRun.of("admin", "--url", url, "repair", "--help").status()).isZero();
    }

    @Test
    void hints_is_a_table_per_target_with_the_total() {
        assertThat(CliRun.of("admin", "--url", url, "hints").out()).isEqualTo("node1 holds no hints for other nodes.\n");
        // host:port alone, as /api/v1/cluster prints addresses, means http
        assertThat(CliRun.of("admin", "--url", url.substring("http://".length()), "hints").status()).isZero();
        admin.hints = List.of(new HintQueue("node2", false, 12, 3_456, 12, 0, 1), new HintQueue("node3", true, 0, 0, 5, 5, 0));
        CliRun run = CliRun.of("admin", "--url", url, "hints");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("""
                TARGET   UP     PENDING   BYTES       STORED   DELIVERED  EXPIRED
                node2    no     12        3.4 KiB     12       0          1
                node3    yes    0         0 B         5        5          0
                node1 holds 12 hints pending (3.4 KiB).
                """);
    }

    @Test
    void status_shows_the_nodes_view_its_hints_and_its_repairs() {
        admin.hints = List.of(new HintQueue("node2", false, 3, 300, 3, 0, 0));
        admin.addFinished(new RepairProgress(6, "background", "all ranges", RepairProgress.State.FAILED, 4, 1, 0, 0, 512,
                1_600_000_000_000L, 61_000, "node2 is down"));
        CliRun run = CliRun.of("admin", "--url", url, "status");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                NODE    HTTP                     STATUS   LIVENESS  HEARTBEAT  RING   NOTE
                node1   http://127.0.0.1:8001    NORMAL   UP        0 ms       50.0%  this node
                node2   http://127.0.0.1:8002    NORMAL   DOWN      16.2 s     50.0%

                Membership as seen by node1 (N=2 R=1 W=1).

                Hints:
                TARGET   UP     PENDING   BYTES       STORED   DELIVERED  EXPIRED
                node2    no     3         300 B       3        0          0
                node1 holds 3 hints pending (300 B).

                Repairs (newest first):
                ID    TRIGGER    SCOPE          STATE    RANGES    DIFFERING KEYS      BYTES       ELAPSED   ERROR
                6     background all ranges     FAILED   1/4       0         0         512 B       1 min     node2 is down
                """);
    }

    /** The store is not what these tests are about: every call fails. */
    private static final class NoStore implements KvService {
        @Override
        public CompletableFuture<GetResult> getAsync(byte[] key, RequestOptions options) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no store in this test"));
        }

        @Override
        public CompletableFuture<PutResult> putAsync(byte[] key, String context, byte[] value, RequestOptions options) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no store in this test"));
        }

        @Override
        public CompletableFuture<PutResult> deleteAsync(byte[] key, String context, RequestOptions options) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no store in this test"));
        }
    }
}
