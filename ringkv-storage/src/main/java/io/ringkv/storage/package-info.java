/** The per-node LSM storage engine. */
package io.ringkv.storage;
