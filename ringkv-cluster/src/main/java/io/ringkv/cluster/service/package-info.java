/**
 * What every {@link io.ringkv.cluster.api.KvService} implementation shares, so the single-node
 * service and the quorum coordinator validate requests, mint versions, report storage failures
 * and shape read results identically: {@link io.ringkv.cluster.service.RequestChecks},
 * {@link io.ringkv.cluster.service.NewVersions}, {@link io.ringkv.cluster.service.GuardedStore},
 * {@link io.ringkv.cluster.service.ReadResults}.
 */
package io.ringkv.cluster.service;
