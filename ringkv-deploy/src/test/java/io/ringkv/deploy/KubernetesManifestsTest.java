package io.ringkv.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.ringkv.cli.autoscale.RequestCounters;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes (docs/kubernetes.md), checked offline: every manifest is read strictly into
 * the typed Kubernetes model, kustomize renders the set, and the invariants the recipe's safety
 * rests on hold: one change at a time, readiness that excludes joining and leaving nodes, a preStop
 * that decommissions a pod being scaled away, a node configuration the node itself accepts, ports
 * that agree, and an autoscaling metric built from the counter the nodes export.
 */
class KubernetesManifestsTest {
    private static final String STATEFUL_SET = "ringkv";
    private static final Pattern TIMEOUT = Pattern.compile("decommission --timeout-seconds (\\d+)");

    @TempDir
    Path tmp;

    private final Path dir = Manifests.directory();
    private final Manifests manifests = Manifests.read(kustomizationResources());
    private final StatefulSet statefulSet = manifests.one(StatefulSet.class, STATEFUL_SET);
    private final Container node = statefulSet.getSpec().getTemplate().getSpec().getContainers().getFirst();
    private final ConfigMap config = manifests.one(ConfigMap.class, "ringkv");

    private List<Path> kustomizationResources() {
        try {
            JsonNode kustomization = Manifests.YAML.readTree(dir.resolve("kustomization.yaml").toFile());
            return java.util.stream.StreamSupport.stream(kustomization.path("resources").spliterator(), false)
                    .map(r -> dir.resolve(r.asText())).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void every_manifest_is_listed_and_reads_strictly_into_the_kubernetes_model() throws IOException {
        try (var files = Files.list(dir)) {
            Set<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(new TreeSet<>(kustomizationResources())).as("kustomization.yaml lists every manifest").isEqualTo(yaml);
        }
        assertThat(manifests.all()).extracting(o -> o.getKind()).contains("StatefulSet", "Service", "ConfigMap",
                "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceAccount", "Role", "RoleBinding");
        Manifests.readFile(dir.resolve("prometheus-adapter/config.yaml"));
    }

    @Test
    void an_unknown_or_misplaced_field_fails_the_check() throws IOException {
        String good = Files.readString(dir.resolve("poddisruptionbudget.yaml"));
        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, good.replace("maxUnavailable: 1", "maxUnavailabel: 1"));
        assertThatThrownBy(() -> Manifests.readFile(typo)).hasMessageContaining("maxUnavailabel");
        Path probeTypo = tmp.resolve("probe.yaml");
        Files.writeString(probeTypo, Files.readString(dir.resolve("statefulset.yaml")).replace("readinessProbe:", "readinesProbe:"));
        assertThatThrownBy(() -> Manifests.readFile(probeTypo)).hasMessageContaining("readinesProbe");
    }

    @Test
    void kubectl_renders_the_set_offline() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        Assumptions.assumeTrue(Files.isExecutable(kubectl), "no kubectl on this machine");
        Path rendered = tmp.resolve("rendered.yaml");
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).redirectErrorStream(true)
                .redirectOutput(rendered.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(rendered)).isZero();
        assertThat(Manifests.readFile(rendered)).hasSameSizeAs(manifests.all());
    }

    @Test
    void one_membership_change_at_a_time() {
        assertThat(statefulSet.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        PodDisruptionBudget pdb = manifests.one(PodDisruptionBudget.class, "ringkv");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(podLabels());

        HorizontalPodAutoscaler hpa = manifests.one(HorizontalPodAutoscaler.class, "ringkv");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("StatefulSet");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(STATEFUL_SET);
        assertThat(hpa.getSpec().getMinReplicas()).as("at least N nodes").isGreaterThanOrEqualTo(nodeConfig().replication().n());
        for (HPAScalingRules rules : List.of(hpa.getSpec().getBehavior().getScaleUp(), hpa.getSpec().getBehavior().getScaleDown())) {
            assertThat(rules.getPolicies()).isNotEmpty().allSatisfy(policy -> {
                assertThat(policy.getType()).isEqualTo("Pods");
                assertThat(policy.getValue()).isEqualTo(1);
            });
            assertThat(rules.getSelectPolicy()).isEqualTo("Min");
        }
    }

    @Test
    void probes_tell_alive_from_ready_and_prestop_decommissions_a_pod_scaled_away() {
        assertThat(node.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(node.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(node.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(List.of(node.getReadinessProbe(), node.getLivenessProbe(), node.getStartupProbe()))
                .allSatisfy(probe -> assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http"));

        List<String> preStop = node.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).containsExactly("/bin/sh", "/etc/ringkv/prestop.sh");
        String script = config.getData().get("prestop.sh");
        assertThat(script).contains("ringkv admin --url http://127.0.0.1:" + nodeConfig().http().port() + " decommission")
                .contains("statefulsets/" + STATEFUL_SET + "/scale").contains("\"$ordinal\" -ge \"$replicas\"");
        Matcher timeout = TIMEOUT.matcher(script);
        assertThat(timeout.find()).isTrue();
        long grace = statefulSet.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(grace).as("the grace period outlasts the decommission's own timeout").isGreaterThan(Long.parseLong(timeout.group(1)));
        assertThat(grace).isGreaterThanOrEqualTo(3600);
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("ringkv");
    }

    @Test
    void the_node_accepts_its_configuration_and_the_ports_seeds_and_volume_agree_with_it() {
        NodeConfig config = nodeConfig();
        assertThat(config.nodeId()).isEqualTo("ringkv-3");
        assertThat(port("http")).isEqualTo(config.http().port());
        assertThat(port("peer")).isEqualTo(config.cluster().peerPort());

        Service peers = manifests.one(Service.class, statefulSet.getSpec().getServiceName());
        assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(peers.getSpec().getPublishNotReadyAddresses()).as("joining pods reach the seeds").isTrue();
        assertThat(config.cluster().seeds()).allSatisfy(seed -> {
            assertThat(seed.host()).matches(STATEFUL_SET + "-[0-9]+\\." + peers.getMetadata().getName());
            assertThat(seed.port()).isEqualTo(config.cluster().peerPort());
        });
        assertThat(manifests.all(Service.class)).allSatisfy(s -> assertThat(s.getSpec().getSelector()).isEqualTo(podLabels()));

        String mountPath = node.getVolumeMounts().stream().filter(m -> m.getName().equals("data")).findFirst().orElseThrow()
                .getMountPath();
        assertThat(config.dataDirectory().startsWith(Path.of(mountPath))).as(config.dataDirectory() + " on the volume at " + mountPath)
                .isTrue();
        assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName()).containsExactly("data");
        assertThat(statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Delete");
    }

    @Test
    void the_autoscaling_metric_is_the_rate_of_the_counter_the_nodes_export() throws IOException {
        ConfigMap adapter = Manifests.readFile(dir.resolve("prometheus-adapter/config.yaml")).stream()
                .map(ConfigMap.class::cast).findFirst().orElseThrow();
        JsonNode rule = Manifests.YAML.readTree(adapter.getData().get("config.yaml")).path("rules").get(0);
        assertThat(rule.path("seriesQuery").asText()).startsWith(RequestCounters.FAMILY + "_count{");
        assertThat(rule.path("name").path("matches").asText()).isEqualTo("^" + RequestCounters.FAMILY + "_count$");
        Matcher endpoints = Pattern.compile("endpoint=~\"([^\"]+)\"").matcher(rule.path("metricsQuery").asText());
        assertThat(endpoints.find()).isTrue();
        assertThat(Set.of(endpoints.group(1).split("\\|"))).as("the data endpoints, as cluster autoscale counts them")
                .isEqualTo(RequestCounters.DATA_ENDPOINTS);
        assertThat(rule.path("metricsQuery").asText()).contains("rate(<<.Series>>");

        HorizontalPodAutoscaler hpa = manifests.one(HorizontalPodAutoscaler.class, "ringkv");
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getType()).isEqualTo("Pods");
            assertThat(metric.getPods().getMetric().getName()).isEqualTo(rule.path("name").path("as").asText());
            assertThat(metric.getPods().getTarget().getType()).isEqualTo("AverageValue");
        });
        Map<String, String> annotations = statefulSet.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/metrics")
                .containsEntry("prometheus.io/port", Integer.toString(port("http")));
    }

    private Map<String, String> podLabels() {
        return statefulSet.getSpec().getTemplate().getMetadata().getLabels();
    }

    private int port(String name) {
        return node.getPorts().stream().filter(p -> p.getName().equals(name)).mapToInt(ContainerPort::getContainerPort)
                .findFirst().orElseThrow();
    }

    /** The ConfigMap's template as start.sh fills it in for pod ringkv-3, loaded by the node's own loader. */
    private NodeConfig nodeConfig() {
        String start = config.getData().get("start.sh");
        for (String placeholder : List.of("__POD_NAME__", "__POD_IP__", "__CLUSTER_SECRET__")) {
            assertThat(start).as("start.sh fills in " + placeholder).contains("s|" + placeholder + "|");
        }
        String yaml = config.getData().get("ringkv.yaml").replace("__POD_NAME__", "ringkv-3").replace("__POD_IP__", "10.1.2.3")
                .replace("__CLUSTER_SECRET__", "0123456789abcdef0123456789abcdef");
        assertThat(yaml).doesNotContain("__");
        try {
            Path file = tmp.resolve("ringkv.yaml");
            Files.writeString(file, yaml);
            return NodeConfigLoader.load(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
