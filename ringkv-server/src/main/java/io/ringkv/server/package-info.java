/** ringkv server. */
package io.ringkv.server;
