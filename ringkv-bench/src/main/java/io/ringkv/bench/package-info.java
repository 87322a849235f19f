/** ringkv bench. */
package io.ringkv.bench;
