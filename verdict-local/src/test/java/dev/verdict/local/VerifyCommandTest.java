package dev.verdict.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier catches every kind of tampering an export can suffer, and nothing else. */
class VerifyCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** Two advertisers' chains interleaved, as an NDJSON export would hold them. */
    private static List<String> export() {
        List<String> lines = new ArrayList<>();
        String prevA = HashChain.GENESIS;
        String prevB = HashChain.GENESIS;
        for (int sequence = 0; sequence < 5; sequence++) {
            Envelope a = HashChain.seal(envelope("acme", sequence), prevA);
            Envelope b = HashChain.seal(envelope("globex", sequence), prevB);
            prevA = a.integrity().hash();
            prevB = b.integrity().hash();
            lines.add(HashChain.canonicalText(a));
            lines.add(HashChain.canonicalText(b));
        }
        return lines;
    }

    private static Envelope envelope(String advertiser, int sequence) {
        ObjectNode payload = EventJson.mapper().createObjectNode().put("note", "event " + sequence + " of " + advertiser);
        return new Envelope(advertiser + "-" + sequence + "-0000-0000-000000000000", "NoteAdded", 1, advertiser,
                sequence, "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z",
                new Envelope.Actor("moderator1", List.of("MODERATOR"), Envelope.ActorType.HUMAN), null, "c", null,
                "c", "c", new Envelope.Source("moderation-service", "1", "i"), null, "0".repeat(32), payload, null);
    }

    private int verify(List<String> lines, String... extra) throws IOException {
        Path file = dir.resolve("events.ndjson");
        Files.write(file, lines, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--file", file.toString()));
        args.addAll(List.of(extra));
        printed.reset();
        return new VerifyCommand(new PrintStream(printed, true, StandardCharsets.UTF_8), new PrintStream(
                new ByteArrayOutputStream())).run(args);
    }

    private String report() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anIntactExportIsValidAndReportsEachAdvertiser() throws IOException {
        assertThat(verify(export())).isZero();
        assertThat(report()).containsPattern("acme\\s+5\\s+0\\s+valid").containsPattern("globex\\s+5\\s+0\\s+valid")
                .contains("10 records, 2 advertisers, 0 broken");
    }

    @Test
    void aChangedByteBreaksTheChainOfItsAdvertiser() throws IOException {
        List<String> lines = export();
        lines.set(4, lines.get(4).replace("event 2 of acme", "event 2 of acmf"));
        assertThat(verify(lines)).isEqualTo(1);
        assertThat(report()).containsPattern("acme\\s+\\d+\\s+0\\s+BROKEN at sequence 2")
                .containsPattern("globex\\s+5\\s+0\\s+valid");
    }

    @Test
    void aDroppedEventIsCaught() throws IOException {
        List<String> lines = export();
        lines.remove(2);
        assertThat(verify(lines)).isEqualTo(1);
        assertThat(report()).contains("BROKEN at sequence 1");
    }

    @Test
    void aSwappedPairIsCaught() throws IOException {
        List<String> lines = export();
        Collections.swap(lines, 2, 4);
        assertThat(verify(lines)).isEqualTo(1);
        assertThat(report()).contains("BROKEN at sequence 1");
    }

    @Test
    void anInsertedEventIsCaught() throws IOException {
        List<String> lines = export();
        lines.add(6, lines.get(6).replace("event 3 of acme", "a forged event").replace("acme-3-", "acme-9-"));
        assertThat(verify(lines)).isEqualTo(1);
        assertThat(report()).containsPattern("acme.*BROKEN at sequence 3");
    }

    @Test
    void aTruncatedTailIsCaughtWhenTheExpectedCountIsGiven() throws IOException {
        List<String> lines = export().subList(0, 6);
        assertThat(verify(lines)).isZero();
        assertThat(verify(lines, "--expect", "acme=5")).isEqualTo(1);
        assertThat(report()).contains("BROKEN at sequence 3 (expected 5 events)");
    }

    @Test
    void anExactReSendIsCountedNotHeldAgainstTheChainButAnAlteredOneIs() throws IOException {
        List<String> lines = new ArrayList<>(export());
        lines.add(lines.get(0));
        assertThat(verify(lines)).isZero();
        assertThat(report()).containsPattern("acme\\s+5\\s+1\\s+valid");

        lines.add(lines.get(2).replace("event 1 of acme", "event one"));
        assertThat(verify(lines)).isEqualTo(1);
        assertThat(report()).contains("appears twice with different content");
    }

    @Test
    void garbageIsReportedAndBadArgumentsAreAUsageError() throws IOException {
        List<String> lines = new ArrayList<>(export());
        lines.add("{not json");
        assertThat(verify(lines)).isEqualTo(1);
        assertThat(report()).contains("is not an envelope");
        assertThat(new VerifyCommand(new PrintStream(printed), new PrintStream(new ByteArrayOutputStream()))
                .run(List.of("--nonsense"))).isEqualTo(2);
    }
}
