package io.ringkv.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One node's answer to {@code GET /api/v1/cluster}: its view of the membership (the JSON the
 * issue-3 plan fixes).
 */
public record ClusterStatus(String self, List<Member> members, int n, int r, int w, JsonNode raw) {

    /**
     * One member as the answering node sees it.
     *
     * @param tokenCount number of ring tokens it announces (the JSON may list them or count them)
     */
    public record Member(String id, String status, String liveness, long generation, long heartbeat, String peer,
                         String http, int tokenCount) {

        /** Up, a normal ring member, and owning tokens: ready to take its share of requests. */
        public boolean isServing() {
            return "UP".equals(liveness) && "NORMAL".equals(status) && tokenCount > 0;
        }

        @Override
        public String toString() {
            return id + "(" + status + "/" + liveness + ", gen " + generation + ", " + tokenCount + " tokens)";
        }
    }

    static ClusterStatus parse(JsonNode json) {
        List<Member> members = new ArrayList<>();
        for (JsonNode m : json.path("members")) {
            JsonNode tokens = m.path("tokens");
            int tokenCount = tokens.isArray() ? tokens.size() : tokens.asInt(0);
            members.add(new Member(m.path("id").asText(), m.path("status").asText(), m.path("liveness").asText(),
                    m.path("generation").asLong(-1), m.path("heartbeat").asLong(-1), m.path("peer").asText(),
                    m.path("http").asText(), tokenCount));
        }
        JsonNode replication = json.path("replication");
        return new ClusterStatus(json.path("self").asText(), List.copyOf(members), replication.path("n").asInt(-1),
                replication.path("r").asInt(-1), replication.path("w").asInt(-1), json);
    }

    public Optional<Member> member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return self + " sees " + members;
    }
}
