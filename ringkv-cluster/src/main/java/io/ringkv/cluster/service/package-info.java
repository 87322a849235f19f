/**
 * The request rules and storage conventions behind {@link io.ringkv.cluster.api.KvService}, kept
 * apart from the quorum coordinator so that each has one job and its own tests:
 * {@link io.ringkv.cluster.service.RequestChecks} (validation and its messages),
 * {@link io.ringkv.cluster.service.NewVersions} (minting versions),
 * {@link io.ringkv.cluster.service.GuardedStore} (storage failures in the service's terms),
 * {@link io.ringkv.cluster.service.ReadResults} (shaping read results).
 */
package io.ringkv.cluster.service;
