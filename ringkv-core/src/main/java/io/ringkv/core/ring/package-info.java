/**
 * The consistent-hashing ring: tokens, an immutable {@link io.ringkv.core.ring.Ring} value with
 * virtual nodes, token allocation (deciding, not doing) and rack/data-center-aware preference
 * lists. Pure values, no I/O. See docs/design/ring.md.
 */
package io.ringkv.core.ring;
