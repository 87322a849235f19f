/**
 * Range streaming: moving whole token ranges of data between nodes when the ring changes (a node
 * joins and receives the ranges it will replicate; a node is decommissioned and hands its ranges
 * to the nodes that gain them). Resumable, throttled, verified by a digest of each range, with
 * progress (docs/design/membership.md).
 */
package io.ringkv.cluster.streaming;
