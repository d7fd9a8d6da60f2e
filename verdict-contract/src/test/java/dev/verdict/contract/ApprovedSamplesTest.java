package dev.verdict.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AdvertiserBanned;
import dev.verdict.contract.events.AdvertiserEvent;
import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AdvertiserRestricted;
import dev.verdict.contract.events.AdvertiserSuspended;
import dev.verdict.contract.events.AdvertiserWarned;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.AppealOverturned;
import dev.verdict.contract.events.AppealUpheld;
import dev.verdict.contract.events.AppealWithdrawn;
import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionReversed;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.EventCatalog;
import dev.verdict.contract.events.EventReader;
import dev.verdict.contract.events.Evidence;
import dev.verdict.contract.events.EvidenceAttached;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.InformationSource;
import dev.verdict.contract.events.NoteAdded;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.StatementCategory;
import dev.verdict.contract.events.SuspensionExpired;
import dev.verdict.testkit.ContractSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One approved JSON sample per event type and version (resources {@code samples/}): it validates against its schema,
 * its hash verifies, it still deserializes into today's record, and today's record still writes exactly its payload.
 * A change to an event's wire form fails here first; approve a new sample only with a new optional field or a new
 * version. A missing sample is written to target/received-samples for review.
 */
class ApprovedSamplesTest {

    private static final String DECISION = "8ea31715-bbd8-4835-840a-46ab073e5616";
    private static final String APPEAL = "566e5e98-1eaa-449a-9148-1ae435cba34f";
    private static final String OTHER = "0c7dbb7c-52e7-4b8f-a4d6-3f7e2a9b1c55";
    private static final Instant EFFECTIVE = Instant.parse("2018-05-10T00:00:00Z");
    private static final List<Evidence> EVIDENCE = List.of(new Evidence(
            "urn:verdict:evidence:kaspersky-lab:government-notice",
            "b2e846d9ee8f520df05aa673c73f82e7989e24fb7d2ed36a7c32b1726965844f", "text/plain",
            "The government notice cited in press statements"));
    private static final DecisionTerms TERMS = new DecisionTerms(List.of(Scope.ADVERTISING),
            new PolicyReference("ads/unacceptable-business-practices", "2018-01", "4.2",
                    "Ads must not come from advertisers whose business model inherently conflicts with acceptable "
                            + "ads business practices."),
            Ground.INCOMPATIBLE_CONTENT, null, StatementCategory.STATEMENT_CATEGORY_OTHER_VIOLATION_TC,
            "Your account may no longer advertise.", List.of("WORLDWIDE"), false, AutomatedDecision.NOT_AUTOMATED,
            EVIDENCE, EFFECTIVE, null, null, new InformationSource(InformationSource.Type.SOURCE_TYPE_OTHER_NOTIFICATION,
            "a notice from a national authority"));
    private static final DecisionTerms SUSPENSION_TERMS = new DecisionTerms(TERMS.scope(), TERMS.policy(),
            Ground.ILLEGAL_CONTENT, "Article 6 of the national consumer protection act", TERMS.category(),
            TERMS.statement(), List.of("DE", "FR"), true, AutomatedDecision.PARTIALLY, EVIDENCE, EFFECTIVE,
            Instant.parse("2018-06-10T00:00:00Z"), "9b1f5d8e-2c4a-4f6b-8d3e-1a2b3c4d5e6f",
            new InformationSource(InformationSource.Type.SOURCE_VOLUNTARY, null));

    /** The canonical instance of every published event type, as today's code writes it. */
    static final Map<String, AdvertiserEvent> INSTANCES = Map.ofEntries(
            Map.entry("AdvertiserRegistered",
                    new AdvertiserRegistered("kaspersky-lab", "Kaspersky Lab", "RU", AccountType.BUSINESS)),
            Map.entry("AdvertiserBanned", new AdvertiserBanned(DECISION, TERMS)),
            Map.entry("AdvertiserSuspended", new AdvertiserSuspended(DECISION, SUSPENSION_TERMS)),
            Map.entry("AdvertiserRestricted", new AdvertiserRestricted(DECISION, TERMS)),
            Map.entry("AdvertiserWarned", new AdvertiserWarned(DECISION, TERMS)),
            Map.entry("EvidenceAttached", new EvidenceAttached(DECISION, EVIDENCE)),
            Map.entry("DecisionReversed", new DecisionReversed(DECISION, "The evidence concerned another company.")),
            Map.entry("SuspensionExpired", new SuspensionExpired(DECISION, Instant.parse("2018-06-10T00:00:00Z"))),
            Map.entry("AppealFiled", new AppealFiled(APPEAL, DECISION, "No rule and no evidence were ever named.",
                    EVIDENCE, Instant.parse("2018-11-10T00:00:00Z"))),
            Map.entry("AppealWithdrawn", new AppealWithdrawn(APPEAL, DECISION)),
            Map.entry("AppealUpheld", new AppealUpheld(APPEAL, DECISION, "The clause applies; the evidence holds.")),
            Map.entry("AppealOverturned", new AppealOverturned(APPEAL, DECISION, "No clause applies.")),
            Map.entry("AppealModified", new AppealModified(APPEAL, DECISION, "A warning is enough.", OTHER,
                    DecisionKind.WARNING, TERMS)),
            Map.entry("NoteAdded", new NoteAdded(OTHER, DECISION, "Called the legal team.")));

    /** The sample envelope of an event type: its canonical instance, in a fixed envelope, sealed. */
    static Envelope sampleOf(EventCatalog.EventType type) {
        AdvertiserEvent payload = INSTANCES.get(type.name());
        return HashChain.seal(new Envelope("3f0a7c1e-9a53-4c1b-8f7e-2d6b1c0e4a11", type.name(), type.schemaVersion(),
                "kaspersky-lab", 1, "2018-05-11T09:30:00.000Z",
                payload.businessTime() == null ? "2018-05-11T09:30:00.000Z" : EventJson.formatTime(payload.businessTime()),
                new Envelope.Actor("moderator1", List.of("MODERATOR"), Envelope.ActorType.HUMAN), null,
                "c4630cfc-e17e-4f81-a47c-6666855fdd51", null, "case-2018-0510", "c4630cfc-e17e-4f81-a47c-6666855fdd51",
                new Envelope.Source("moderation-service", "0.1.0", "moderation-service-1"),
                new Envelope.Client("192.0.2.10", "Mozilla/5.0"), "0af7651916cd43dd8448eb211c80319c",
                EventJson.mapper().valueToTree(payload), null), "1".repeat(64));
    }

    private static final Path SAMPLES = Path.of("src", "main", "resources", "samples");

    /** Every approved sample, of every version ever published: name like {@code AppealFiled.v1.json}. */
    static Stream<String> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void everyPublishedEventTypeHasASampleOfItsOwnAtItsCurrentVersion() throws IOException {
        assertThat(INSTANCES.keySet()).containsExactlyInAnyOrderElementsOf(
                EventCatalog.all().stream().map(EventCatalog.EventType::name).toList());
        for (EventCatalog.EventType type : EventCatalog.all()) {
            String name = type.name() + ".v" + type.schemaVersion() + ".json";
            if (!Files.exists(SAMPLES.resolve(name))) {
                Path received = Files.createDirectories(Path.of("target", "received-samples")).resolve(name);
                Files.writeString(received, EventJson.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(sampleOf(type)) + "\n");
                throw new AssertionError("no approved sample for " + name + "; review " + received.toAbsolutePath()
                        + " and copy it to " + SAMPLES);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySampleEverApprovedIsValidVerifiesAndStillReads(String name) throws IOException {
        JsonNode sample = EventJson.mapper().readTree(SAMPLES.resolve(name).toFile());
        EventCatalog.EventType type = EventCatalog.byName(sample.path("eventType").asText()).orElseThrow();
        assertThat(name).isEqualTo(type.name() + ".v" + sample.path("schemaVersion").asInt() + ".json");

        assertThat(ContractSchemas.violations(sample)).isEmpty();
        assertThat(HashChain.hash(sample)).isEqualTo(sample.path("integrity").path("hash").asText());
        AdvertiserEvent read = EventReader.payloadOf(sample).orElseThrow();
        assertThat(read).isInstanceOf(type.payloadClass());
        if (sample.path("schemaVersion").asInt() == type.schemaVersion()) {
            // Compared in canonical form: a parsed 1 and a written long 1 are different node types, the same JSON.
            JsonNode rewritten = EventJson.mapper().valueToTree(read);
            JsonNode todays = EventJson.mapper().valueToTree(sampleOf(type));
            assertThat(HashChain.canonicalTextOf(rewritten))
                    .isEqualTo(HashChain.canonicalTextOf(sample.path("payload")));
            assertThat(HashChain.canonicalTextOf(todays)).as("today's code writes the approved form")
                    .isEqualTo(HashChain.canonicalTextOf(sample));
        }
    }

    @Test
    void anAppealFiledOfVersionOneReadsAsVersionTwoWithItsAttachmentsAsEvidence() throws IOException {
        JsonNode v1 = EventJson.mapper().readTree(SAMPLES.resolve("AppealFiled.v1.json").toFile());
        AppealFiled read = (AppealFiled) EventReader.payloadOf(v1).orElseThrow();
        assertThat(read.evidence()).hasSize(1);
        assertThat(read.evidence().get(0).description()).isEqualTo("The government notice cited in press statements");
        assertThat(v1.path("payload").has("attachments")).as("the sample itself is never rewritten").isTrue();
    }

    @Test
    void anUnknownTypeOrANewerVersionReadsAsEmptyNotAsAnError() throws IOException {
        JsonNode v1 = EventJson.mapper().readTree(SAMPLES.resolve("AppealFiled.v1.json").toFile());
        JsonNode unknown = v1.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) unknown).put("eventType", "AdvertiserKnightedByTheQueen");
        JsonNode newer = v1.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) newer).put("schemaVersion", 99);

        assertThat(EventReader.payloadOf(unknown)).isEmpty();
        assertThat(EventReader.payloadOf(newer)).isEmpty();
    }

    @Test
    void theSchemasRefuseWhatTheContractForbids() {
        JsonNode valid = EventJson.mapper().valueToTree(sampleOf(EventCatalog.byName("AdvertiserBanned").orElseThrow()));
        JsonNode noClauseText = valid.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) noClauseText.path("payload").path("terms").path("policy"))
                .remove("clauseText");
        JsonNode badHash = valid.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) badHash.path("integrity")).put("hash", "XYZ");
        JsonNode mixedTerritory = valid.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) mixedTerritory.path("payload").path("terms"))
                .set("territorialScope", EventJson.mapper().valueToTree(List.of("WORLDWIDE", "DE")));

        assertThat(ContractSchemas.violations(valid)).isEmpty();
        assertThat(ContractSchemas.violations(noClauseText)).isNotEmpty();
        assertThat(ContractSchemas.violations(badHash)).isNotEmpty();
        assertThat(ContractSchemas.violations(mixedTerritory)).isNotEmpty();
    }
}
