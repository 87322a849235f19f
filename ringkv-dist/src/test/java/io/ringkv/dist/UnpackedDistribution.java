package io.ringkv.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tarball `mvn package` built, unpacked with tar into a directory of its own, and bin/ringkv
 * run from there as an operator would: a clean environment with only a JDK >= 21 (this test's
 * own, as JAVA_HOME), no source tree, no Maven step.
 */
final class UnpackedDistribution {
    final Path home;

    private UnpackedDistribution(Path home) {
        this.home = home;
    }

    /** The tarball named by the build (ringkv.tarball), unpacked into {@code dir}. */
    static UnpackedDistribution unpack(Path dir) throws IOException, InterruptedException {
        Path tarball = Path.of(System.getProperty("ringkv.tarball", "target/ringkv-unknown.tar.gz"));
        assertThat(tarball).as("the tarball `mvn package` builds").isRegularFile();
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar xzf: %s", output).isTrue();
        return new UnpackedDistribution(dir.resolve("ringkv-" + version()));
    }

    static String version() {
        return System.getProperty("ringkv.version", "unknown");
    }

    /**
     * {@code bin/ringkv args...} in the unpacked directory, output to {@code out} and {@code err}.
     * The environment is cleared but for PATH, HOME and JAVA_HOME, so nothing of the build's
     * (RINGKV_* variables, MAVEN_OPTS) reaches the launcher.
     */
    ProcessBuilder ringkv(Path out, Path err, List<String> args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(home.resolve("bin/ringkv").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        var env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", System.getProperty("user.home"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    /** Replaces each {@code from} with its {@code to} in a file of the distribution; each must be there. */
    void edit(String file, String... fromTo) throws IOException {
        Path path = home.resolve(file);
        String text = Files.readString(path);
        for (int i = 0; i < fromTo.length; i += 2) {
            assertThat(text).as("%s holds %s", file, fromTo[i]).contains(fromTo[i]);
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        Files.writeString(path, text);
    }
}
