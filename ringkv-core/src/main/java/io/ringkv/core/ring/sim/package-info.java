/** In-process ring simulation measuring balance and data movement (docs/design/ring.md). */
package io.ringkv.core.ring.sim;
