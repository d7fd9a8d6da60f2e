package dev.verdict.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The COPY rows of a replay batch, read back by a decoder of PostgreSQL's binary COPY format: the columns live
 * ingestion stores, the envelope byte for byte, each event once. (That PostgreSQL reads them as written is checked
 * against a real database by ReplayBatchesIT, column by column against live ingestion.)
 */
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

    /** The rows as written, each a list of its fields' bytes (null for NULL); checks the header and the trailer. */
    private static List<List<byte[]>> written(CopyRows rows, Set<UUID> leaveOut) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rows.writeTo(out::write, leaveOut);
        return decode(out.toByteArray());
    }

    static List<List<byte[]>> decode(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        byte[] signature = new byte[11];
        in.get(signature);
        assertThat(signature).isEqualTo(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        assertThat(in.getInt()).as("flags").isZero();
        assertThat(in.getInt()).as("header extension").isZero();
        List<List<byte[]>> rows = new ArrayList<>();
        for (short fields = in.getShort(); fields != -1; fields = in.getShort()) {
            assertThat(fields).isEqualTo((short) 15);
            List<byte[]> row = new ArrayList<>();
            for (int f = 0; f < fields; f++) {
                int length = in.getInt();
                byte[] value = null;
                if (length >= 0) {
                    value = new byte[length];
                    in.get(value);
                }
                row.add(value);
            }
            rows.add(row);
        }
        assertThat(in.remaining()).as("nothing after the trailer").isZero();
        return rows;
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static long int64(byte[] value) {
        assertThat(value).hasSize(8);
        return ByteBuffer.wrap(value).getLong();
    }

    private static int int32(byte[] value) {
        assertThat(value).hasSize(4);
        return ByteBuffer.wrap(value).getInt();
    }

    private static UUID uuid(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        assertThat(value).hasSize(16);
        return new UUID(in.getLong(), in.getLong());
    }

    /** A timestamptz's microseconds from 2000-01-01T00:00:00Z, as an instant. */
    private static Instant time(byte[] value) {
        long micros = int64(value);
        return Instant.parse("2000-01-01T00:00:00Z").plusSeconds(Math.floorDiv(micros, 1_000_000))
                .plusNanos(Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    @Test
    void aRowHoldsTheColumnsOfLiveIngestionAndTheEnvelopeByteForByte() throws Exception {
        UUID id = UUID.randomUUID();
        String text = envelope(id, "He said \"no\", then left; a back\\slash, a tab\t, a line\n, über", true);
        CopyRows rows = new CopyRows();

        assertThat(rows.add(record(41, text))).isTrue();

        List<byte[]> row = written(rows, Set.of()).get(0);
        assertThat(uuid(row.get(0))).isEqualTo(id);
        assertThat(text(row.get(1))).isEqualTo("kaspersky-lab");
        assertThat(int64(row.get(2))).isEqualTo(1);
        assertThat(text(row.get(3))).isEqualTo("NoteAdded");
        assertThat(int32(row.get(4))).isEqualTo(1);
        assertThat(time(row.get(5))).isEqualTo(Instant.parse("2018-05-11T09:30:00Z"));
        assertThat(time(row.get(6))).isEqualTo(Instant.parse("2018-05-11T09:30:00Z"));
        assertThat(text(row.get(7))).isEqualTo("moderator1");
        assertThat(row.get(8)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(int32(row.get(9))).isEqualTo(2);
        assertThat(int64(row.get(10))).isEqualTo(41);
        assertThat(row.get(11)).containsExactly(1);
        assertThat(row.get(12)).as("a note cites no policy").isNull();
        assertThat(uuid(row.get(13))).isEqualTo(UUID.fromString("8ea31715-bbd8-4835-840a-46ab073e5616"));
        assertThat(row.get(14)).isNull();
        assertThat(rows.eventIds()).containsExactly(id);
    }

    @Test
    void timesAreMicrosecondsRoundedHalfUpOnEitherSideOfPostgresEpoch() throws Exception {
        List<String> times = List.of("1999-12-31T23:59:59.999999500Z", "2026-03-01T10:00:00.000000499Z",
                "0001-01-01T00:00:00.000001500Z", "+294276-12-31T23:59:59.999999Z", "-4712-01-01T00:00:00Z");
        List<Instant> stored = List.of(Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("0001-01-01T00:00:00.000002Z"),
                Instant.parse("+294276-12-31T23:59:59.999999Z"), Instant.parse("-4712-01-01T00:00:00Z"));
        CopyRows rows = new CopyRows();
        for (int i = 0; i < times.size(); i++) {
            ObjectNode event = (ObjectNode) EventJson.mapper().readTree(envelope(UUID.randomUUID(), "t", true));
            event.put("occurredAt", times.get(i));
            rows.add(record(i, HashChain.canonicalTextOf(event)));
        }

        List<List<byte[]>> written = written(rows, Set.of());

        for (int i = 0; i < times.size(); i++) {
            assertThat(time(written.get(i).get(5))).as(times.get(i)).isEqualTo(stored.get(i));
        }
    }

    @Test
    void anAbsentValueIsNull() throws Exception {
        CopyRows rows = new CopyRows();
        rows.add(record(0, envelope(UUID.randomUUID(), "n", false)));

        assertThat(written(rows, Set.of()).get(0).get(7)).as("no actor").isNull();
    }

    @Test
    void aRecordThatIsNotAnEnvelopeOrHasATimePostgresCannotStoreIsLeftOutAndCounted() throws Exception {
        ObjectNode farFuture = (ObjectNode) EventJson.mapper().readTree(envelope(UUID.randomUUID(), "f", true));
        farFuture.put("occurredAt", "+294276-12-31T23:59:59.9999995Z");
        CopyRows rows = new CopyRows();

        assertThat(rows.add(record(0, "not an envelope"))).isFalse();
        assertThat(rows.add(new ConsumerRecord<>("t", 0, 1, "k", null))).isFalse();
        assertThat(rows.add(record(2, HashChain.canonicalTextOf(farFuture)))).isFalse();

        assertThat(rows.rows()).isZero();
        assertThat(rows.skipped()).isEqualTo(3);
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
        assertThat(written(rows, Set.of())).singleElement().satisfies(row -> assertThat(int64(row.get(10)))
                .isEqualTo(7));
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

        assertThat(written(rows, Set.of(stored))).extracting(row -> uuid(row.get(0))).containsExactly(first, last);
        assertThat(written(rows, Set.of(first, last))).extracting(row -> uuid(row.get(0))).containsExactly(stored);
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        rows.writeRow(2, one::write);
        assertThat(decode(one.toByteArray())).extracting(row -> uuid(row.get(0))).containsExactly(last);
        assertThat(rows.position(2)).isEqualTo("t-2@3");
    }

    @Test
    void aBatchGrowsPastItsFirstBuffer() throws Exception {
        CopyRows rows = new CopyRows();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            rows.add(record(i, envelope(id, "x".repeat(500), true)));
        }

        List<List<byte[]>> written = written(rows, Set.of());

        assertThat(written).extracting(row -> uuid(row.get(0))).containsExactlyElementsOf(ids);
        assertThat(Arrays.stream(new int[] {0, 999, 1999}).mapToObj(i -> int64(written.get(i).get(10))))
                .containsExactly(0L, 999L, 1999L);
    }
}
