package io.ringkv.server.http;

/** Serves one endpoint and method. Runs on a worker thread, so it may block on the store. */
@FunctionalInterface
interface Handler {
    Reply handle(ApiRequest request);
}
