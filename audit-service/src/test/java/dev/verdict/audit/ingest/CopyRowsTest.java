package dev.verdict.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The COPY rows of a replay batch: the columns live ingestion stores, the envelope byte for byte, each event once. */
class CopyRowsTest {

    private static String envelope(UUID eventId, String note, boolean withActor) throws Exception {
        ObjectNode sample = (ObjectNode) EventJson.mapper().readTree(CopyRowsTest.class
                .getResourceAsStream("/samples/NoteAdded.v1.json"));
        sample.put("eventId", eventId.toString());
        ((ObjectNode) sample.get("payload")).put("text", note);
        if (!withActor) {
            sample.remove("actor");
        }
        return HashChain.canonicalTextOf(sample);
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        return new ConsumerRecord<>("t", 2, offset, "kaspersky-lab", value.getBytes(StandardCharsets.UTF_8));
    }

    private static String written(CopyRows rows, Set<UUID> leaveOut) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rows.writeTo(out::write, leaveOut);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRowHoldsTheColumnsOfLiveIngestionAndTheEnvelopeQuotedForCsv() throws Exception {
        UUID id = UUID.randomUUID();
        String text = envelope(id, "He said \"no\", then left; a back\\slash, a tab\t, über", true);
        CopyRows rows = new CopyRows();

        assertThat(rows.add(record(41, text))).isTrue();

        String row = written(rows, Set.of());
        assertThat(row).isEqualTo(id + ",\"kaspersky-lab\",1,\"NoteAdded\",1,2018-05-11T09:30:00Z,"
                + "2018-05-11T09:30:00Z,\"moderator1\",\"" + text.replace("\"", "\"\"") + "\",2,41,t,,"
                + "8ea31715-bbd8-4835-840a-46ab073e5616,\n");
        assertThat(rows.eventIds()).containsExactly(id);
    }

    @Test
    void anAbsentValueIsAnUnquotedEmptyFieldWhichCopyReadsAsNull() throws Exception {
        CopyRows rows = new CopyRows();
        rows.add(record(0, envelope(UUID.randomUUID(), "n", false)));

        assertThat(written(rows, Set.of())).contains("2018-05-11T09:30:00Z,,\"{");
    }

    @Test
    void aRecordThatIsNotAnEnvelopeIsLeftOutAndCounted() throws Exception {
        CopyRows rows = new CopyRows();

        assertThat(rows.add(record(0, "not an envelope"))).isFalse();
        assertThat(rows.add(new ConsumerRecord<>("t", 0, 1, "k", null))).isFalse();

        assertThat(rows.rows()).isZero();
        assertThat(rows.skipped()).isEqualTo(2);
        assertThat(written(rows, Set.of())).isEmpty();
    }

    @Test
    void aReSendWithinTheBatchIsLeftOutSoTheFirstReadingStays() throws Exception {
        UUID id = UUID.randomUUID();
        String text = envelope(id, "once", true);
        CopyRows rows = new CopyRows();

        assertThat(rows.add(record(7, text))).isTrue();
        assertThat(rows.add(record(9, text))).isFalse();

        assertThat(rows.rows()).isEqualTo(1);
        assertThat(written(rows, Set.of())).contains(",2,7,t,").doesNotContain(",2,9,");
    }

    @Test
    void rowsOfEventsStoredByAnEarlierBatchAreLeftOutAndTheRestKeepTheirOrder() throws Exception {
        UUID first = UUID.randomUUID();
        UUID stored = UUID.randomUUID();
        UUID last = UUID.randomUUID();
        CopyRows rows = new CopyRows();
        rows.add(record(1, envelope(first, "first", true)));
        rows.add(record(2, envelope(stored, "stored", true)));
        rows.add(record(3, envelope(last, "last", true)));

        String written = written(rows, Set.of(stored));

        assertThat(written.lines()).hasSize(2);
        assertThat(written.lines().toList().get(0)).startsWith(first.toString());
        assertThat(written.lines().toList().get(1)).startsWith(last.toString());
        assertThat(written(rows, Set.of(first, last)).lines()).singleElement().asString()
                .startsWith(stored.toString());
    }
}
