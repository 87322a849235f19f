package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web dashboard in a real headless browser (Debian's chromium, over the DevTools protocol)
 * against a real 3-node cluster of separate processes: the page served by node 1 loads without a
 * console error, draws one group of ring arcs per node, and shows node 3 DOWN within seconds of
 * its {@code kill -9}. A screenshot of the page, taken at the end, is left in
 * {@code target/dashboard.png} (docs/dashboard.png is a copy of one).
 */
class DashboardBrowserTest {
    private static final Duration PAGE_LIMIT = Duration.ofSeconds(20);
    private static final Duration DOWN_LIMIT = Duration.ofSeconds(30);
    private static final int MAX_LOAD_REQUESTS = 20_000;

    @RegisterExtension
    final OwnCluster own = new OwnCluster();

    @Test
    void thePageDrawsOneArcGroupPerNodeWithoutErrorsAndShowsAKilledNodeDown() throws IOException {
        Path binary = chromiumOrSkip();
        LocalClusterProcesses cluster = own.start(ClusterSettings.of(3));
        Load load = own.closing(new Load(List.of(cluster.client(1), cluster.client(2))));
        HeadlessChromium browser = own.closing(new HeadlessChromium(binary, 1600, 720));
        DevToolsSession page = browser.page();

        page.call("Page.navigate", new ObjectMapper().createObjectNode().put("url", cluster.node(1).httpBaseUrl() + "/"));
        awaitTrue(page, "document.querySelectorAll('#arcs g[data-node]').length === 3"
                + " && document.querySelectorAll('tr[data-node-row]').length === 3", "the ring and the table drawn", PAGE_LIMIT);
        assertThat(page.evaluate("[...document.querySelectorAll('#arcs g[data-node]')].map(g => g.dataset.node).join()").asText())
                .as("one arc group per node").isEqualTo("node1,node2,node3");
        assertThat(page.evaluate("[...document.querySelectorAll('#arcs g[data-node] path')]"
                + ".every(p => p.getAttribute('d').split('A').length > 10)").asBoolean())
                .as("each node's group draws its many token ranges").isTrue();
        awaitTrue(page, "[...document.querySelectorAll('[data-field=liveness]')].every(td => td.textContent === 'UP')",
                "every node UP", PAGE_LIMIT);
        awaitTrue(page, "/[1-9][0-9]* memtables?, /.test(document.querySelector('tr[data-node-row=node1] [data-field=storage]').textContent)",
                "node1's memtable count shown", PAGE_LIMIT);
        awaitTrue(page, "document.getElementById('summary').textContent.match(/ ([1-9][0-9]*) requests/) !== null",
                "the load's throughput shown", PAGE_LIMIT);
        assertThat(page.pageErrors()).as("console errors and exceptions while loading").isEmpty();

        cluster.kill9(3);
        long killedAt = System.nanoTime();
        awaitTrue(page, "document.querySelector('tr[data-node-row=node3] [data-field=liveness]').textContent === 'DOWN'"
                + " && document.querySelector('#arcs g[data-node=node3]').dataset.liveness === 'DOWN'",
                "node3 shown DOWN after kill -9", DOWN_LIMIT);
        System.out.printf("dashboard: node3 shown DOWN %.1f s after kill -9; %d load requests%n",
                (System.nanoTime() - killedAt) / 1e9, load.requests());
        assertThat(page.evaluate("document.querySelector('tr[data-node-row=node1] [data-field=liveness]').textContent").asText())
                .isEqualTo("UP");

        HeadlessChromium.sleep(2_000); // one more poll of figures without node3, for the screenshot
        byte[] png = Base64.getDecoder().decode(page.call("Page.captureScreenshot",
                new ObjectMapper().createObjectNode().put("format", "png")).path("data").asText());
        Path screenshot = Path.of("target", "dashboard.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, png);
        assertThat(png.length).as("a screenshot").isGreaterThan(10_000);
        assertThat(page.pageErrors()).as("console errors and exceptions on the page").isEmpty();
    }

    private static Path chromiumOrSkip() {
        Optional<Path> binary = HeadlessChromium.binary();
        if (binary.isEmpty()) {
            String reason = "the dashboard browser test needs Debian's chromium package (apt-get install chromium)";
            if (HeadlessChromium.required()) {
                fail(reason + ", and RINGKV_REQUIRE_CHROMIUM=1 says this machine must have it (CI: .ci/run installs it)");
            }
            Assumptions.abort(reason + "; skipped on this machine");
        }
        return binary.get();
    }

    private static void awaitTrue(DevToolsSession page, String expression, String what, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!page.evaluate(expression).asBoolean(false)) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within " + limit + "; the page shows: "
                        + page.evaluate("document.body.innerText").asText() + "\npage errors: " + page.pageErrors());
            }
            HeadlessChromium.sleep(200); // the page polls every second
        }
    }


    /** A light, bounded write and read loop, so the page has throughput to show. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread thread;

        Load(List<KvClient> clients) {
            thread = Thread.ofVirtual().name("dashboard-load").start(() -> {
                for (int i = 0; i < MAX_LOAD_REQUESTS / 2 && !stop.get(); i++) {
                    KvClient client = clients.get(i % clients.size());
                    client.put("dashboard:" + (i % 500), "v" + i);
                    client.get("dashboard:" + ((i * 7) % 500));
                    requests.addAndGet(2);
                    HeadlessChromium.sleep(10); // about 100 requests a second: figures to show, CPU left for the browser
                }
            });
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }
}
