package io.ringkv.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preStop hook's one decision, run for real in /bin/sh with stand-ins for {@code curl} (the
 * Kubernetes API's answer) and {@code ringkv} (records its arguments): decommission a pod that is
 * scaled away, and never one that merely restarts, since a decommissioned node never serves its
 * data again.
 */
class PreStopScriptTest {
    @TempDir
    Path tmp;

    private Path script;
    private Path calls;

    @BeforeEach
    void writeScriptAndStandIns() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        ConfigMap config = Manifests.readFile(Manifests.directory().resolve("configmap.yaml")).stream()
                .map(ConfigMap.class::cast).findFirst().orElseThrow();
        script = Files.writeString(tmp.resolve("prestop.sh"), config.getData().get("prestop.sh"));
        calls = tmp.resolve("ringkv.calls");
        Files.createDirectories(tmp.resolve("bin"));
        executable("ringkv", "#!/bin/sh\necho \"$@\" >> " + calls + "\n");
    }

    private void executable(String name, String text) throws IOException {
        Path file = Files.writeString(tmp.resolve("bin").resolve(name), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The API's answer to GET .../statefulsets/ringkv/scale, as the API server prints it; null: the request fails. */
    private void apiAnswers(String scaleJson) throws IOException {
        executable("curl", scaleJson == null ? "#!/bin/sh\nexit 7\n" : "#!/bin/sh\ncat <<'JSON'\n" + scaleJson + "\nJSON\n");
    }

    private static String scale(int replicas) {
        return """
                {
                  "kind": "Scale",
                  "apiVersion": "autoscaling/v1",
                  "metadata": {"name": "ringkv", "namespace": "db"},
                  "spec": {
                    "replicas": %d
                  },
                  "status": {"replicas": 5, "selector": "app.kubernetes.io/name=ringkv"}
                }""".formatted(replicas);
    }

    private List<String> runAs(String podName) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("prestop.out").toFile());
        pb.environment().put("POD_NAME", podName);
        pb.environment().put("PATH", tmp.resolve("bin") + ":/usr/bin:/bin");
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("prestop.out"))).isZero();
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    @Test
    void a_pod_scaled_away_is_decommissioned() throws Exception {
        apiAnswers(scale(4)); // 5 -> 4: ringkv-4 goes
        assertThat(runAs("ringkv-4")).containsExactly("admin --url http://127.0.0.1:8000 decommission --timeout-seconds 7000");
    }

    @Test
    void a_pod_that_stays_is_only_stopped() throws Exception {
        apiAnswers(scale(5)); // a restart, rolling update or drain of ringkv-4 in a 5-pod set
        assertThat(runAs("ringkv-4")).isEmpty();
        apiAnswers(scale(12)); // ordinals compare as numbers, not text
        assertThat(runAs("ringkv-2")).isEmpty();
    }

    @Test
    void when_the_api_cannot_be_read_it_stops_without_decommission() throws Exception {
        apiAnswers(null);
        assertThat(runAs("ringkv-4")).isEmpty();
        assertThat(Files.readString(tmp.resolve("prestop.out"))).contains("stopping without decommission");
        apiAnswers("{\"kind\": \"Status\", \"status\": \"Failure\"}");
        assertThat(runAs("ringkv-4")).isEmpty();
    }
}
