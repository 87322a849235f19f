package io.ringkv.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.client.InProcessNode;
import io.ringkv.client.InvalidRequestException;
import io.ringkv.client.QuorumNotMetException;
import io.ringkv.client.RingkvClient;
import io.ringkv.client.RingkvUnavailableException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/** The binding against a real node in this JVM, called the way YCSB's client threads call it. */
class RingkvDbTest {
    @TempDir
    Path dir;

    private InProcessNode node;
    private RingkvDb db;

    @BeforeEach
    void start() throws DBException {
        node = InProcessNode.start(dir);
        db = open("ringkv.nodes", node.uri().toString(), "ringkv.r", "1", "ringkv.w", "1", "ringkv.timeout", "3000");
    }

    @AfterEach
    void stop() {
        if (db != null) {
            db.cleanup();
        }
        if (node != null) {
            node.close();
        }
    }

    private static RingkvDb open(String... keyValues) throws DBException {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        RingkvDb db = new RingkvDb();
        db.setProperties(p);
        db.init();
        return db;
    }

    private static Map<String, ByteIterator> fields(String... nameValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], nameValues[i + 1]);
        }
        return StringByteIterator.getByteIteratorMap(m);
    }

    private Map<String, String> read(String key, Set<String> which) {
        Map<String, ByteIterator> result = new HashMap<>();
        assertThat(db.read("usertable", key, which, result)).isEqualTo(Status.OK);
        return StringByteIterator.getStringMap(result);
    }

    @Test
    void insert_then_read_returns_the_fields() {
        assertThat(db.insert("usertable", "user1", fields("field0", "a", "field1", "b"))).isEqualTo(Status.OK);
        assertThat(read("user1", null)).containsExactlyInAnyOrderEntriesOf(Map.of("field0", "a", "field1", "b"));
        assertThat(read("user1", Set.of("field1"))).containsExactlyEntriesOf(Map.of("field1", "b"));
        assertThat(db.read("usertable", "user2", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void update_changes_only_the_given_fields_and_leaves_one_version() {
        db.insert("usertable", "user1", fields("field0", "a", "field1", "b"));
        for (int i = 0; i < 5; i++) {
            assertThat(db.update("usertable", "user1", fields("field1", "v" + i))).isEqualTo(Status.OK);
        }
        assertThat(read("user1", null)).containsExactlyInAnyOrderEntriesOf(Map.of("field0", "a", "field1", "v4"));
        try (RingkvClient client = RingkvClient.builder().nodes(List.of(node.uri())).build()) {
            assertThat(client.get("user1").versions()).as("each update supersedes the last").hasSize(1);
        }
    }

    @Test
    void an_update_resolves_siblings_left_by_racing_inserts() {
        db.insert("usertable", "user1", fields("field0", "a"));
        db.insert("usertable", "user1", fields("field0", "b"));
        assertThat(db.update("usertable", "user1", fields("field0", "c"))).isEqualTo(Status.OK);
        try (RingkvClient client = RingkvClient.builder().nodes(List.of(node.uri())).build()) {
            assertThat(client.get("user1").versions()).hasSize(1);
        }
        assertThat(read("user1", null)).containsExactlyEntriesOf(Map.of("field0", "c"));
    }

    @Test
    void blind_updates_on_a_last_write_wins_cluster_write_once_and_keep_the_newest() throws DBException {
        stop();
        node = InProcessNode.start(dir.resolve("lww"), "versioning: {conflictPolicy: lww}\n");
        db = open("ringkv.nodes", node.uri().toString(), "ringkv.update", "blind");
        db.insert("usertable", "user1", fields("field0", "a"));
        for (int i = 0; i < 5; i++) {
            assertThat(db.update("usertable", "user1", fields("field0", "v" + i))).isEqualTo(Status.OK);
        }
        assertThat(read("user1", null)).containsExactlyEntriesOf(Map.of("field0", "v4"));
        try (RingkvClient client = RingkvClient.builder().nodes(List.of(node.uri())).build()) {
            assertThat(client.get("user1").versions()).hasSize(1);
        }
    }

    @Test
    void an_unknown_update_mode_is_refused_at_init() {
        assertThatThrownBy(() -> open("ringkv.nodes", node.uri().toString(), "ringkv.update", "sometimes"))
                .isInstanceOf(DBException.class).hasMessageContaining("ringkv.update must be read-modify-write or blind");
    }

    @Test
    void delete_removes_the_record() {
        db.insert("usertable", "user1", fields("field0", "a"));
        assertThat(db.delete("usertable", "user1")).isEqualTo(Status.OK);
        assertThat(db.read("usertable", "user1", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
        assertThat(db.delete("usertable", "user1")).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void scans_are_not_implemented() {
        assertThat(db.scan("usertable", "user1", 10, null, new java.util.Vector<>())).isEqualTo(Status.NOT_IMPLEMENTED);
    }

    @Test
    void a_value_that_is_not_a_record_is_an_unexpected_state_not_a_crash() {
        try (RingkvClient client = RingkvClient.builder().nodes(List.of(node.uri())).build()) {
            client.put("plain", null, "hello".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(db.read("usertable", "plain", null, new HashMap<>())).isEqualTo(Status.UNEXPECTED_STATE);
    }

    @Test
    void refused_requests_and_unreachable_nodes_map_to_ycsb_statuses() throws DBException {
        RingkvDb quorumTooHigh = open("ringkv.nodes", node.uri().toString(), "ringkv.r", "3");
        try {
            assertThat(quorumTooHigh.read("usertable", "k", null, new HashMap<>())).isEqualTo(Status.BAD_REQUEST);
        } finally {
            quorumTooHigh.cleanup();
        }
        URI nobody = URI.create("http://127.0.0.1:" + InProcessNode.freePort());
        assertThat(RingkvDb.statusOf(new RingkvUnavailableException(List.of(nobody + ": refused"))))
                .isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(RingkvDb.statusOf(new QuorumNotMetException(2, 1, "1 of 2", nobody))).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(RingkvDb.statusOf(new InvalidRequestException(400, "invalid_parameter", "r", nobody))).isEqualTo(Status.BAD_REQUEST);
    }

    @Test
    void init_fails_when_no_node_answers_and_a_later_init_connects_afresh() throws DBException {
        db.cleanup(); // the last user: the shared client is closed
        db = null;
        URI nobody = URI.create("http://127.0.0.1:" + InProcessNode.freePort());
        assertThatThrownBy(() -> open("ringkv.nodes", nobody.toString()))
                .isInstanceOf(DBException.class).hasMessageContaining(nobody.toString());
        db = open("ringkv.nodes", node.uri().toString(), "ringkv.r", "1", "ringkv.w", "1");
        assertThat(db.insert("usertable", "after", fields("field0", "v"))).isEqualTo(Status.OK);
    }

    @Test
    void bad_properties_fail_init_with_the_property_named() {
        assertThatThrownBy(() -> open("ringkv.r", "two")).isInstanceOf(DBException.class).hasMessageContaining("ringkv.r");
    }
}
