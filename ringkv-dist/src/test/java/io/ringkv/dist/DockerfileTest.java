package io.ringkv.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/docker/Dockerfile, checked without a docker daemon (CI has none): it must unpack the
 * tarball this build makes, expose the ports of the shipped example configuration, run as a
 * user other than root, log to stdout and probe /health; and its entrypoint must write a
 * configuration the node's own loader accepts.
 */
class DockerfileTest {
    private static final Path CHECKOUT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    private static final Path DOCKER = CHECKOUT.resolve("deploy/docker");

    @TempDir
    Path tmp;

    @Test
    void unpacksTheTarballThisBuildMakes() throws IOException {
        String dockerfile = dockerfile();
        String version = one(dockerfile, "(?m)^ARG RINGKV_VERSION=(\\S+)$");
        assertThat(version).as("ARG RINGKV_VERSION = the project's version").isEqualTo(UnpackedDistribution.version());
        String source = one(dockerfile, "(?m)^ADD (\\S+\\.tar\\.gz) /opt/$").replace("${RINGKV_VERSION}", version);
        assertThat(CHECKOUT.resolve(source).normalize())
                .isEqualTo(Path.of(System.getProperty("ringkv.tarball")).toAbsolutePath().normalize())
                .isRegularFile();
        // The build context is the checkout; .dockerignore must let the tarball and the entrypoint in.
        assertThat(Files.readAllLines(CHECKOUT.resolve(".dockerignore")))
                .contains("*", "!ringkv-dist/target/ringkv-*.tar.gz", "!deploy/docker/");
    }

    @Test
    void startsFromATemurinJreOf21OrLater() throws IOException {
        int feature = Integer.parseInt(one(dockerfile(), "(?m)^FROM eclipse-temurin:(\\d+)-jre\\S*$"));
        assertThat(feature).isGreaterThanOrEqualTo(21);
    }

    @Test
    void exposesThePortsOfTheExampleConfiguration() throws IOException {
        String example = Files.readString(CHECKOUT.resolve("conf/ringkv.yaml"));
        String httpPort = one(example, "(?ms)^http:.*?^  port: (\\d+)");
        String peerPort = one(example, "(?m)^  peerPort: (\\d+)");
        String dockerfile = dockerfile();
        assertThat(one(dockerfile, "(?m)^EXPOSE (.+)$").split(" ")).containsExactly(httpPort, peerPort);
        assertThat(dockerfile).contains("RINGKV_HTTP_PORT=" + httpPort, "RINGKV_PEER_PORT=" + peerPort);
    }

    @Test
    void runsAsAUserWithItsDataOnAVolumeLogsToStdoutAndProbesHealth() throws IOException {
        String dockerfile = dockerfile();
        assertThat(one(dockerfile, "(?m)^USER (\\S+)$")).isNotIn("root", "0");
        assertThat(dockerfile).contains("VOLUME [\"/var/lib/ringkv\"]", "RINGKV_LOG=stdout");
        assertThat(one(dockerfile, "(?m)^\\s+CMD (curl .*)$")).contains("${RINGKV_HTTP_PORT}/health");
    }

    @Test
    void entrypointWritesAConfigurationTheNodeAccepts() throws Exception {
        Entrypoint run = entrypoint(Map.of(
                "RINGKV_NODE_ID", "node-a",
                "RINGKV_PEER_HOST", "10.0.0.1",
                "RINGKV_SEEDS", "10.0.0.1:9001,10.0.0.2:9001,10.0.0.3:9001",
                "RINGKV_CLUSTER_SECRET", "it's a secret, 16+ chars"), List.of());
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.args).isEqualTo(List.of("server", "--config", tmp.resolve("ringkv.yaml").toString()));
        String text = Files.readString(run.config);
        assertThat(text).contains("seeds: ['10.0.0.1:9001', '10.0.0.2:9001', '10.0.0.3:9001']", "n: 3", "port: 8001");
        NodeConfig config = NodeConfigLoader.load(run.config);
        assertThat(config.nodeId()).isEqualTo("node-a");
    }

    @Test
    void entrypointPrefersAMountedConfigurationAndPassesOtherCommandsThrough() throws Exception {
        Path mounted = tmp.resolve("mounted.yaml");
        Files.writeString(mounted, "node:\n  id: mine\n");
        Entrypoint server = entrypoint(Map.of("RINGKV_CONFIG", mounted.toString()), List.of());
        assertThat(server.args).isEqualTo(List.of("server", "--config", mounted.toString()));
        Entrypoint admin = entrypoint(Map.of(), List.of("admin", "--url", "http://10.0.0.1:8001", "status"));
        assertThat(admin.args).isEqualTo(List.of("admin", "--url", "http://10.0.0.1:8001", "status"));
    }

    @Test
    void entrypointRefusesASeedWithoutAPortInOneLine() throws Exception {
        Entrypoint run = entrypoint(Map.of("RINGKV_PEER_HOST", "10.0.0.1", "RINGKV_SEEDS", "10.0.0.2"), List.of());
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err.strip()).isEqualTo("ringkv-container: RINGKV_SEEDS: expected host:port, got '10.0.0.2'");
    }

    private record Entrypoint(int exitCode, List<String> args, Path config, String err) {
    }

    /**
     * Runs the entrypoint with a stand-in `ringkv` first on PATH that records its arguments and
     * copies the file given to --config; no mounted configuration unless {@code env} names one.
     */
    private Entrypoint entrypoint(Map<String, String> env, List<String> args) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path recorded = tmp.resolve("args");
        Path copied = tmp.resolve("config-seen.yaml");
        Path standIn = bin.resolve("ringkv");
        Files.writeString(standIn, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + recorded + "'\n"
                + "if [ \"$2\" = --config ]; then cp \"$3\" '" + copied + "'; fi\n");
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.deleteIfExists(recorded);
        List<String> command = new java.util.ArrayList<>(List.of("sh", DOCKER.resolve("ringkv-container.sh").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("RINGKV_"));
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        builder.environment().put("TMPDIR", tmp.toString());
        builder.environment().put("RINGKV_CONFIG", tmp.resolve("not-mounted.yaml").toString());
        builder.environment().putAll(env);
        Path err = tmp.resolve("err");
        Process process = builder.redirectError(err.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> seen = Files.exists(recorded) ? Files.readAllLines(recorded) : List.of();
        return new Entrypoint(process.exitValue(), seen, copied, Files.readString(err));
    }

    private static String dockerfile() throws IOException {
        return Files.readString(DOCKER.resolve("Dockerfile"));
    }

    private static String one(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in the text", regex).isTrue();
        return m.group(1);
    }
}
