package io.ringkv.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StreamingNoteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStreamInProgressIsDescribedAndAFinishedOneIsNot() throws Exception {
        assertThat(StreamingNote.describe(JSON.readTree("""
                {"kind":"join","state":"STREAMING","rangesTotal":703,"rangesDone":312,"keys":412005,"bytes":103809024}""")))
                .isEqualTo("join: 312 of 703 ranges, 412005 keys, 99 MiB");
        assertThat(StreamingNote.describe(JSON.readTree("""
                {"kind":"decommission","state":"WAITING","rangesTotal":0,"rangesDone":0,"keys":0,"bytes":0}""")))
                .isEqualTo("decommission WAITING: 0 of 0 ranges, 0 keys, 0 MiB");
        assertThat(StreamingNote.describe(JSON.readTree("""
                {"kind":"join","state":"DONE","rangesTotal":703,"rangesDone":703,"keys":9,"bytes":9}"""))).isEmpty();
    }
}
