/**
 * Versioning: vector clocks, dotted versions, sibling sets (a join), and the binary and context
 * encodings. Pure values, no I/O. See docs/design/versioning.md.
 */
package io.ringkv.core.version;
