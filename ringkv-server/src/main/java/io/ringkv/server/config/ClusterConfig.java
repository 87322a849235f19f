package io.ringkv.server.config;

import java.util.List;

/**
 * Inter-node settings. Read and validated now, used by the cluster (a single node ignores them),
 * so that a config file written today keeps working when the node joins a cluster.
 *
 * @param peerHost   address the inter-node listener binds
 * @param peerPort   port of the inter-node listener
 * @param seeds      "host:port" peer addresses contacted first to join the ring
 * @param dataCenter data center name, for placing replicas in distinct data centers
 * @param rack       rack name, for placing replicas on distinct racks
 * @param weight     relative capacity; a node of weight 2 takes twice the share of the ring
 */
public record ClusterConfig(String peerHost, int peerPort, List<String> seeds, String dataCenter, String rack, int weight) {
    public ClusterConfig {
        seeds = List.copyOf(seeds);
    }
}
