package io.ringkv.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cluster status} rendering from hand-written /api/v1/cluster answers. */
class StatusTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String member(String id, String status, String liveness, long ageMillis, double share) {
        return """
                {"id":"%s","status":"%s","liveness":"%s","generation":7,"heartbeat":9,"heartbeatAgeMillis":%d,
                 "peer":"127.0.0.%s:9001","http":"127.0.0.1:800%s","dataCenter":"dc1","rack":"rack1","weight":1.0,
                 "tokens":256,"ringShare":%s}""".formatted(id, status, liveness, ageMillis, id.substring(4), id.substring(4), share);
    }

    private static JsonNode view(String self, String... members) throws Exception {
        return JSON.readTree("{\"self\":\"" + self + "\",\"members\":[" + String.join(",", members)
                + "],\"replication\":{\"n\":3,\"r\":2,\"w\":2}}");
    }

    private static JsonNode holdingHints(JsonNode view, long pending) throws Exception {
        ((com.fasterxml.jackson.databind.node.ObjectNode) view).set("hints",
                JSON.readTree("{\"pending\":" + pending + ",\"bytes\":" + 100 * pending + ",\"pendingByTarget\":{}}"));
        return view;
    }

    @Test
    void agreeingNodesGiveOneRowEachAsTheFirstAnsweringNodeSeesThem() throws Exception {
        String m1 = member("node1", "NORMAL", "UP", 0, 0.3334);
        String m2 = member("node2", "NORMAL", "UP", 412, 0.3333);
        String m3 = member("node3", "NORMAL", "UP", 1_250, 0.3333);
        String out = StatusTable.render(List.of(
                new StatusTable.Row("node1", "101", "http://127.0.0.1:8001", holdingHints(view("node1", m1, m2, m3), 0), ""),
                new StatusTable.Row("node2", "102", "http://127.0.0.1:8002",
                        holdingHints(view("node2", m1.replace("\"heartbeatAgeMillis\":0", "\"heartbeatAgeMillis\":300"),
                                m2.replace("412", "0"), m3), 17), ""),
                new StatusTable.Row("node3", "103", "http://127.0.0.1:8003", view("node3", m1, m2, m3), "")));
        assertThat(out).startsWith("NODE    PID      HTTP                     STATUS   LIVENESS  HEARTBEAT  RING   HINTS  NOTE\n");
        assertThat(out).contains("node1   101      http://127.0.0.1:8001    NORMAL   UP        0 ms       33.3%  0\n");
        assertThat(out).as("the hints each node itself holds for others")
                .contains("node2   102      http://127.0.0.1:8002    NORMAL   UP        412 ms     33.3%  17\n");
        assertThat(out).contains("node3   103      http://127.0.0.1:8003    NORMAL   UP        1.3 s      33.3%  -\n");
        assertThat(out).contains("Membership as seen by node1 (N=3 R=2 W=2).\nAll 3 answering nodes agree on the membership.\n");
        assertThat(out).doesNotContain("disagree");
    }

    @Test
    void aStoppedNodeAndADisagreementAreShown() throws Exception {
        String m1 = member("node1", "NORMAL", "UP", 0, 0.5);
        String m2 = member("node2", "NORMAL", "UP", 10, 0.5);
        String m3down = member("node3", "JOINING", "DOWN", 95_000, 0);
        String m3suspect = member("node3", "JOINING", "SUSPECT", 9_000, 0);
        String out = StatusTable.render(List.of(
                new StatusTable.Row("node1", "101", "http://127.0.0.1:8001", view("node1", m1, m2, m3down), ""),
                new StatusTable.Row("node2", "102", "http://127.0.0.1:8002", view("node2", m1, m2, m3suspect), ""),
                new StatusTable.Row("node3", "-", "http://127.0.0.1:8003", null, "not running")));
        assertThat(out).contains("node3   -        http://127.0.0.1:8003    JOINING  DOWN      1 min      0.0%   -      not running\n");
        assertThat(out).contains("Nodes disagree about membership: node3: node1 sees JOINING/DOWN, node2 sees JOINING/SUSPECT\n");
    }

    @Test
    void aMemberOneNodeDoesNotKnowIsADisagreementAndForeignMembersGetARow() throws Exception {
        String m1 = member("node1", "NORMAL", "UP", 0, 0.5);
        String m2 = member("node2", "NORMAL", "UP", 10, 0.5);
        String m9 = member("node9", "JOINING", "UP", 10, 0);
        String out = StatusTable.render(List.of(
                new StatusTable.Row("node1", "101", "http://127.0.0.1:8001", view("node1", m1, m2, m9), ""),
                new StatusTable.Row("node2", "102", "http://127.0.0.1:8002", view("node2", m1, m2), "")));
        assertThat(out).containsPattern("node9\\s+\\?\\s+http://127.0.0.1:8009\\s+JOINING\\s+UP\\s+10 ms\\s+0.0%\\s+-\\s+not in this directory");
        assertThat(out).contains("node9: node1 sees JOINING/UP, node2 does not know it");
    }

    private static JsonNode withIdConflict(JsonNode view, String thisNode) throws Exception {
        ((com.fasterxml.jackson.databind.node.ObjectNode) view).set("idConflict", JSON.readTree("""
                {"nodeId":"node3","thisNode":"%s","kept":{"peer":"127.0.0.3:9003","http":"127.0.0.3:8003"},
                 "refused":{"peer":"127.0.0.4:9004","http":"127.0.0.4:8004"},"message":"..."}""".formatted(thisNode)));
        return view;
    }

    @Test
    void aNodeIdClaimedByTwoProcessesIsShownOnceWithTheProcessToStopAndTheRefusedViewIsSetAside() throws Exception {
        String m1 = member("node1", "NORMAL", "UP", 0, 0.3334);
        String m2 = member("node2", "NORMAL", "UP", 10, 0.3333);
        String m3 = member("node3", "NORMAL", "UP", 10, 0.3333);
        // node4's directory holds a copy of node3's: the process there says it is node3, and refused.
        JsonNode copysStaleView = withIdConflict(view("node3", m1, m2.replace("\"UP\"", "\"DOWN\""), m3), "refused");
        String out = StatusTable.render(List.of(
                new StatusTable.Row("node4", "104", "http://127.0.0.4:8004", copysStaleView, ""),
                new StatusTable.Row("node1", "101", "http://127.0.0.1:8001", view("node1", m1, m2, m3), ""),
                new StatusTable.Row("node3", "103", "http://127.0.0.3:8003", withIdConflict(view("node3", m1, m2, m3), "kept"), "")));
        assertThat(out).contains("node4   104      http://127.0.0.4:8004    -        -         -          -      -      "
                + "REFUSED: node id node3 is held by 127.0.0.3:9003\n");
        assertThat(out).contains("Membership as seen by node1").contains("All 2 answering nodes agree on the membership.\n");
        assertThat(out).endsWith("Node id conflict: node3 is claimed by two processes. 127.0.0.3:9003 started first and keeps it;"
                + " 127.0.0.4:9004 refuses to serve. Stop the process at 127.0.0.4:9004 and start it again with an empty"
                + " data directory and a node id of its own (reported by node4, node3).\n");
    }

    @Test
    void noAnsweringNodeSaysSo() {
        String out = StatusTable.render(List.of(new StatusTable.Row("node1", "55?", "http://127.0.0.1:8001", null, "not running")));
        assertThat(out).contains("node1   55?      http://127.0.0.1:8001    -        -         -          -      -      not running\n");
        assertThat(out).endsWith("No node answered GET /api/v1/cluster.\n");
    }

    @Test
    void aNodeIsUpInItsOwnViewWithoutThatCountingAsADisagreement() throws Exception {
        // node2 believes node1 is SUSPECT; node1 sees itself UP by definition: only other views count
        String out = StatusTable.render(List.of(
                new StatusTable.Row("node1", "1", "u1", view("node1", member("node1", "NORMAL", "UP", 0, 0.5),
                        member("node2", "NORMAL", "UP", 5, 0.5)), ""),
                new StatusTable.Row("node2", "2", "u2", view("node2", member("node1", "NORMAL", "SUSPECT", 9_000, 0.5),
                        member("node2", "NORMAL", "UP", 0, 0.5)), "")));
        assertThat(out).contains("All 2 answering nodes agree");
    }

    @Test
    void agesAreReadable() {
        assertThat(StatusTable.age(999)).isEqualTo("999 ms");
        assertThat(StatusTable.age(1_000)).isEqualTo("1.0 s");
        assertThat(StatusTable.age(59_949)).isEqualTo("59.9 s");
        assertThat(StatusTable.age(125_000)).isEqualTo("2 min");
    }
}
