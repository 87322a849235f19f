package io.ringkv.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.server.config.ConfigException;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.NodeConfigLoader;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.storage.SyncPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster start --set}: settings a script gives the configurations cluster start writes. */
class ConfigOverridesTest {
    @TempDir
    Path dir;

    private NodeLayout writtenNode() {
        NodeLayout node = new ClusterDirectory(dir).node(2);
        NodeConfigTemplate.writeIfAbsent(node, 3, 8000, ClusterSecret.readOrCreate(new ClusterDirectory(dir)));
        return node;
    }

    @Test
    void settingsLandInTheFileAndTheTemplatesOwnSettingsStay() {
        NodeLayout node = writtenNode();
        ConfigOverrides.parse(List.of("storage.sync.policy=periodic", "storage.sync.intervalMillis=10000",
                "versioning.conflictPolicy=lww")).applyTo(node.config());

        NodeConfig config = NodeConfigLoader.load(node.config());
        assertThat(config.storage().syncPolicy()).isEqualTo(SyncPolicy.periodic(10_000));
        assertThat(config.versioning().conflictPolicy()).isEqualTo(ConflictPolicy.LWW);
        assertThat(config.nodeId()).isEqualTo("node2");
        assertThat(config.http().port()).isEqualTo(8002);
        assertThat(config.replication().n()).isEqualTo(3);
    }

    @Test
    void aBadSettingIsReportedByTheLoaderAsInAHandWrittenFile() {
        NodeLayout node = writtenNode();
        ConfigOverrides.parse(List.of("storage.sync.policy=sometimes")).applyTo(node.config());
        assertThatThrownBy(() -> NodeConfigLoader.load(node.config())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sometimes");
    }

    @Test
    void anArgumentWithoutKeyAndValueIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> ConfigOverrides.parse(List.of("periodic")))
                .hasMessageContaining("--set needs KEY=VALUE").hasMessageContaining("'periodic'");
        assertThatThrownBy(() -> ConfigOverrides.parse(List.of("storage..sync=1"))).hasMessageContaining("--set needs");
        assertThat(ConfigOverrides.parse(List.of()).isEmpty()).isTrue();
    }
}
