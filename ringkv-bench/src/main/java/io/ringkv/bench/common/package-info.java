/** Pieces every benchmark shares: latency histograms, progress lines, table printing. */
package io.ringkv.bench.common;
