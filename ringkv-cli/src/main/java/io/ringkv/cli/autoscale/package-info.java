/**
 * {@code ringkv cluster autoscale}: the local cluster grown and shrunk with its load. Deciding is
 * apart from doing: {@link io.ringkv.cli.autoscale.RequestCounters} reads a node's request
 * counters from its Prometheus text, {@link io.ringkv.cli.autoscale.LoadFigures} turns two samples
 * into a rate and a p99, {@link io.ringkv.cli.autoscale.ScalingPolicy} (pure, time passed in)
 * decides; the command in {@code io.ringkv.cli} samples and acts through {@code cluster start}
 * and {@code cluster scale}.
 */
package io.ringkv.cli.autoscale;
