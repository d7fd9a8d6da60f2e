package dev.verdict.audit.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AdvertiserBanned;
import dev.verdict.contract.events.AdvertiserEvent;
import dev.verdict.contract.events.AdvertiserSuspended;
import dev.verdict.contract.events.AdvertiserWarned;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionReversed;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.EventCatalog;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.StatementCategory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bitemporal cases as a table: business time asOf, recorded time knownAt, the state each scope is in. */
class AdvertiserStateTest {

    private static final String BAN = "8ea31715-bbd8-4835-840a-46ab073e5616";
    private static final String WARNING = "566e5e98-1eaa-449a-9148-1ae435cba34f";
    private static final String SUSPENSION = "0c7dbb7c-52e7-4b8f-a4d6-3f7e2a9b1c55";
    private static final String REPLACEMENT = "9b1f5d8e-2c4a-4f6b-8d3e-1a2b3c4d5e6f";

    private static DecisionTerms terms(List<Scope> scope, String from, String expires) {
        return new DecisionTerms(scope, new PolicyReference("ads/p", "1", "4.2", "text"), Ground.INCOMPATIBLE_CONTENT,
                null, StatementCategory.STATEMENT_CATEGORY_OTHER_VIOLATION_TC, "s", List.of("WORLDWIDE"), false,
                AutomatedDecision.NOT_AUTOMATED, List.of(), Instant.parse(from),
                expires == null ? null : Instant.parse(expires), null, null);
    }

    private static JsonNode envelope(AdvertiserEvent event, String recorded) {
        EventCatalog.EventType type = EventCatalog.of(event.getClass());
        ObjectNode envelope = EventJson.mapper().createObjectNode()
                .put("eventType", type.name()).put("schemaVersion", type.schemaVersion())
                .put("occurredAt", recorded)
                .put("effectiveAt", event.businessTime() == null ? recorded : event.businessTime().toString());
        envelope.set("payload", EventJson.mapper().valueToTree(event));
        return envelope;
    }

    /** The scenarios, each a history recorded over 2026. */
    private static final Map<String, List<JsonNode>> HISTORIES = Map.of(
            // A ban recorded in April with effect from February, reversed in June.
            "late-ban", List.of(
                    envelope(new AdvertiserBanned(BAN, terms(List.of(Scope.ADVERTISING), "2026-02-01T00:00:00Z",
                            null)), "2026-04-10T00:00:00Z"),
                    envelope(new DecisionReversed(BAN, "wrong advertiser"), "2026-06-01T00:00:00Z")),
            // An organic suspension for February only, and an overlapping warning on both scopes from March.
            "suspension", List.of(
                    envelope(new AdvertiserSuspended(SUSPENSION, terms(List.of(Scope.ORGANIC), "2026-02-01T00:00:00Z",
                            "2026-03-01T00:00:00Z")), "2026-02-01T00:00:00Z"),
                    envelope(new AdvertiserBanned(BAN, terms(List.of(Scope.ADVERTISING), "2026-03-01T00:00:00Z",
                            null)), "2026-03-01T00:00:00Z"),
                    envelope(new AdvertiserWarned(WARNING, terms(List.of(Scope.ADVERTISING, Scope.ORGANIC),
                            "2026-03-01T00:00:00Z", null)), "2026-03-01T00:00:00Z")),
            // A ban modified on appeal on April 20 into a warning.
            "modified", List.of(
                    envelope(new AdvertiserBanned(BAN, terms(List.of(Scope.ADVERTISING), "2026-03-01T00:00:00Z",
                            null)), "2026-03-01T00:00:00Z"),
                    envelope(new AppealModified("aaaaaaaa-1eaa-449a-9148-1ae435cba34f", BAN, "enough", REPLACEMENT,
                            DecisionKind.WARNING, terms(List.of(Scope.ADVERTISING), "2026-04-20T00:00:00Z", null)),
                            "2026-04-20T00:00:00Z")));

    @ParameterizedTest(name = "{0}: as of {1}, known at {2} -> advertising {3}, organic {4}, {5} in effect")
    @CsvSource({
            "late-ban,   2026-03-15T00:00:00Z, 2026-03-15T00:00:00Z, ALLOWED,    ALLOWED, 0",
            "late-ban,   2026-03-15T00:00:00Z, 2026-05-01T00:00:00Z, BANNED,     ALLOWED, 1",
            "late-ban,   2026-01-15T00:00:00Z, 2026-05-01T00:00:00Z, ALLOWED,    ALLOWED, 0",
            "late-ban,   2026-05-15T00:00:00Z, 2026-07-01T00:00:00Z, BANNED,     ALLOWED, 1",
            "late-ban,   2026-07-01T00:00:00Z, 2026-07-01T00:00:00Z, ALLOWED,    ALLOWED, 0",
            "late-ban,   2026-07-01T00:00:00Z, 2026-05-01T00:00:00Z, BANNED,     ALLOWED, 1",
            "suspension, 2026-02-15T00:00:00Z, 2026-12-01T00:00:00Z, ALLOWED,    SUSPENDED, 1",
            "suspension, 2026-03-02T00:00:00Z, 2026-12-01T00:00:00Z, BANNED,     WARNED, 2",
            "suspension, 2026-03-02T00:00:00Z, 2026-02-15T00:00:00Z, ALLOWED,    ALLOWED, 0",
            "modified,   2026-04-15T00:00:00Z, 2026-05-01T00:00:00Z, BANNED,     ALLOWED, 1",
            "modified,   2026-04-25T00:00:00Z, 2026-05-01T00:00:00Z, WARNED,     ALLOWED, 1",
            "modified,   2026-04-25T00:00:00Z, 2026-04-10T00:00:00Z, BANNED,     ALLOWED, 1",
    })
    void eachScopeIsInTheStateTheKnownHistoryPutsItInAtThatBusinessTime(String history, String asOf, String knownAt,
                                                                        String advertising, String organic,
                                                                        int inEffect) {
        AdvertiserState.State state = AdvertiserState.fold("acme", new ArrayList<>(HISTORIES.get(history)),
                Instant.parse(asOf), Instant.parse(knownAt));

        assertThat(state.scopes().get(Scope.ADVERTISING)).hasToString(advertising);
        assertThat(state.scopes().get(Scope.ORGANIC)).hasToString(organic);
        assertThat(state.scopes().get(Scope.ACCOUNT)).hasToString("ALLOWED");
        assertThat(state.decisionsInEffect()).hasSize(inEffect);
    }
}
