/**
 * Hinted handoff's storage side (Dynamo §4.6): the {@link io.ringkv.cluster.handoff.HintStore},
 * where a node keeps, durably, the writes it accepted on behalf of replicas that were down, until
 * it can hand them over, and the settings of the sloppy quorum ({@link io.ringkv.cluster.handoff.HandoffConfig}).
 * Sending and delivering hints is the coordinator's ({@code cluster.coordinator}); the design is
 * in docs/design/hinted-handoff.md.
 */
package io.ringkv.cluster.handoff;
