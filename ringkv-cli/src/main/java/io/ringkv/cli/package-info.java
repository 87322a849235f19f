/** ringkv cli. */
package io.ringkv.cli;
