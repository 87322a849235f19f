package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ConfigUnitsTest {
    @Test
    void parses_binary_size_units() {
        assertThat(ConfigUnits.parseBytes("1024")).isEqualTo(1024);
        assertThat(ConfigUnits.parseBytes("7B")).isEqualTo(7);
        assertThat(ConfigUnits.parseBytes("16KiB")).isEqualTo(16 * 1024);
        assertThat(ConfigUnits.parseBytes("64MiB")).isEqualTo(64L << 20);
        assertThat(ConfigUnits.parseBytes(" 2 GiB ")).isEqualTo(2L << 30);
        assertThat(ConfigUnits.parseBytes("1TiB")).isEqualTo(1L << 40);
    }

    @Test
    void rejects_decimal_units_negative_and_overflowing_sizes() {
        assertThatThrownBy(() -> ConfigUnits.parseBytes("64MB")).hasMessageContaining("expected a size");
        assertThatThrownBy(() -> ConfigUnits.parseBytes("-1")).hasMessageContaining("expected a size");
        assertThatThrownBy(() -> ConfigUnits.parseBytes("1.5MiB")).hasMessageContaining("expected a size");
        assertThatThrownBy(() -> ConfigUnits.parseBytes("99999999999TiB")).hasMessage("value is too large");
    }

    @Test
    void parses_durations() {
        assertThat(ConfigUnits.parseMillis("250")).isEqualTo(250);
        assertThat(ConfigUnits.parseMillis("250ms")).isEqualTo(250);
        assertThat(ConfigUnits.parseMillis("30s")).isEqualTo(30_000);
        assertThat(ConfigUnits.parseMillis("5m")).isEqualTo(300_000);
        assertThat(ConfigUnits.parseMillis("2h")).isEqualTo(7_200_000);
        assertThat(ConfigUnits.parseMillis("10d")).isEqualTo(864_000_000);
        assertThatThrownBy(() -> ConfigUnits.parseMillis("1w")).hasMessageContaining("expected a duration");
    }

    @Property
    void formatted_sizes_parse_back_to_the_same_bytes(@ForAll @LongRange(min = 0, max = 1L << 50) long bytes) {
        assertThat(ConfigUnits.parseBytes(ConfigUnits.formatBytes(bytes))).isEqualTo(bytes);
    }
}
