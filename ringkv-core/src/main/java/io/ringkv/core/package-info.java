/** ringkv core. */
package io.ringkv.core;
