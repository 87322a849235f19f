/**
 * Gossip membership and failure detection (Dynamo §4.8; docs/design/gossip.md).
 *
 * <p>{@link io.ringkv.cluster.membership.GossipProtocol} is the protocol as a pure,
 * deterministic state machine; {@link io.ringkv.cluster.membership.Gossiper} runs it over the
 * {@link io.ringkv.cluster.transport.Transport}; subscribers (the ring, the coordinator) read
 * immutable {@link io.ringkv.cluster.membership.MembershipView}s from a
 * {@link io.ringkv.cluster.membership.MembershipHolder} and are told of
 * {@link io.ringkv.cluster.membership.MembershipEvent}s. A node is DOWN in a view only when two
 * sources agree (docs/decisions/failure-detector.md).
 */
package io.ringkv.cluster.membership;
