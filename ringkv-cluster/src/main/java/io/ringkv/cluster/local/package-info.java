/** {@link io.ringkv.cluster.api.KvService} for a single node with no network (N = R = W = 1). */
package io.ringkv.cluster.local;
