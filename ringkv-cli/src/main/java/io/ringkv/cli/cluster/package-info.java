/**
 * A local cluster: node processes on this machine under one directory, each with its own
 * config, data, log and pid file. Used by {@code ringkv cluster start|status|stop}.
 */
package io.ringkv.cli.cluster;
