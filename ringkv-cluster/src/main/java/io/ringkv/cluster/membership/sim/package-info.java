/**
 * The simulated twin of a gossiping cluster: many {@code GossipProtocol}s in one thread, one
 * seed, no sockets ({@link io.ringkv.cluster.membership.sim.SimCluster}), and the measurement
 * behind {@code bin/ringkv sim gossip} ({@link io.ringkv.cluster.membership.sim.GossipSimulation}).
 */
package io.ringkv.cluster.membership.sim;
