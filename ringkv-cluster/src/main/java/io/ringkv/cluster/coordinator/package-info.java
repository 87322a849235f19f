/**
 * The quorum coordinator (Dynamo §4.5; docs/design/coordinator.md):
 * {@link io.ringkv.cluster.coordinator.ClusterKvService} is the cluster's
 * {@link io.ringkv.cluster.api.KvService}, asynchronous and never blocking its caller. A get is
 * coordinated by any node (ask R replicas, answer after R, repair stale replicas afterwards); a
 * put or delete by a replica of the key
 * (new version, local apply, the merged sibling set to the other replicas, answer after W), to
 * which any other node forwards it one hop. Membership reaches it only through
 * {@link io.ringkv.cluster.coordinator.ClusterView}, peers only through the
 * {@link io.ringkv.cluster.transport.Transport}, metrics only through
 * {@link io.ringkv.cluster.coordinator.CoordinatorListener}.
 */
package io.ringkv.cluster.coordinator;
