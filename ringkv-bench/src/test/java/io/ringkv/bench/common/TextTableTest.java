package io.ringkv.bench.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void alignsLabelsLeftAndNumbersRightInMarkdownSyntax() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TextTable("row", "ops/s").row("random write", "12,345").row("read", "7").print(
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "| row          |  ops/s |",
                "|:-------------|-------:|",
                "| random write | 12,345 |",
                "| read         |      7 |");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRejected() {
        assertThatThrownBy(() -> new TextTable("a", "b").row("only one"))
                .hasMessage("row has 1 cells but the table has 2 columns");
    }

    @Test
    void numbersGetAPrecisionThatSuitsTheirSize() {
        assertThat(TextTable.number(123456.7)).isEqualTo("123,457");
        assertThat(TextTable.number(12.34)).isEqualTo("12.3");
        assertThat(TextTable.number(1.234)).isEqualTo("1.23");
        assertThat(TextTable.number(Double.NaN)).isEqualTo("n/a");
    }
}
