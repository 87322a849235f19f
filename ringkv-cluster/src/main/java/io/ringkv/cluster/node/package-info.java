/**
 * A node as a cluster member: its persisted identity (generation, tokens), the ring it derives
 * from gossip membership ({@link io.ringkv.cluster.node.MembershipClusterView}, the coordinator's
 * {@code ClusterView}), and the join rule that decides when a new node picks its tokens
 * (docs/design/membership-join.md). {@link io.ringkv.cluster.node.ClusterMembership} wires them
 * over any {@code Transport}; the server supplies the Netty one.
 */
package io.ringkv.cluster.node;
