package io.ringkv.it;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The YAML file of one test node, with the keys of docs/configuration.md (cluster and
 * replication as the issue-3 plan fixes them). Storage sizes are small because test nodes hold
 * little data and several of them share one machine.
 */
final class NodeConfigYaml {
    private NodeConfigYaml() {
    }

    /**
     * @param seeds peer addresses ({@code host:port}) the node contacts first; may include itself
     */
    static String render(NodeSpec node, ClusterSettings settings, List<String> seeds) {
        return render(node, node.id(), settings, seeds);
    }

    /** As {@link #render(NodeSpec, ClusterSettings, List)}, with a node id other than the spec's (a copy of another node). */
    static String render(NodeSpec node, String nodeId, ClusterSettings settings, List<String> seeds) {
        String seedList = seeds.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
        String perDataCenter = settings.perDataCenter().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
        String yaml = """
                # Written by the ringkv-it harness (LocalClusterProcesses) for %s.
                node: {id: %s, dataDir: data}
                http: {host: %s, port: %d}
                cluster:
                  name: %s
                  peerHost: %s
                  peerPort: %d
                  seeds: [%s]
                  dataCenter: %s
                  rack: rack1
                  weight: 1
                  secret: %s
                  gossip: {interval: %dms, fanout: 3, suspectAfter: %dms}
                replication:
                  n: %d
                  r: %d
                  w: %d
                  perDataCenter: {%s}
                  requestTimeout: %dms
                  readRepair: true
                %sstorage:
                  commitLogSegmentSize: 4MiB
                  memtableSize: 4MiB
                  blockCacheSize: 8MiB
                %s""".formatted(node.id(), nodeId, node.host(), node.httpPort(), settings.clusterName(), node.host(),
                node.peerPort(), seedList, settings.dataCenterOf(node.index()), settings.contextSecret(),
                settings.gossipIntervalMillis(), settings.suspectAfterMillis(), settings.n(), settings.r(), settings.w(),
                perDataCenter, settings.requestTimeoutMillis(), indented(settings, "replication"), indented(settings, "storage"));
        StringBuilder out = new StringBuilder(yaml);
        settings.extraYaml().forEach((section, lines) -> {
            if (!OWN_SECTIONS.contains(section)) {
                out.append(section).append(":\n").append(indented(settings, section));
            }
        });
        return out.toString();
    }

    /** Sections the harness writes itself; extra lines for them go inside them. */
    private static final List<String> OWN_SECTIONS = List.of("replication", "storage");

    private static String indented(ClusterSettings settings, String section) {
        return settings.extraYaml().getOrDefault(section, List.of()).stream().map(l -> "  " + l + "\n")
                .collect(Collectors.joining());
    }
}
