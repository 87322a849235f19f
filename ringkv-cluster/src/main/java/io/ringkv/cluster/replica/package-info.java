/**
 * One node's replica of its keys over the storage engine: sibling sets stored per key, versions
 * added by blind merges reconciled by {@link io.ringkv.cluster.replica.SiblingsMergeOperator},
 * and tombstone purging. See docs/design/versioning.md.
 */
package io.ringkv.cluster.replica;
