package dev.verdict.audit.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AdvertiserEvent;
import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionEvent;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random histories over one year (decisions of every kind on random scopes, recorded late or on time, some with an
 * expiry, some reversed later) and random (asOf, knownAt) pairs: the fold agrees with a brute-force model that asks,
 * for every scope and every decision, "was it known by knownAt, had it started by asOf, had it not ended by asOf".
 */
class AdvertiserStatePropertiesTest {

    private static final Instant YEAR = Instant.parse("2026-01-01T00:00:00Z");

    /** A decision of the random history: days after the start of the year. */
    record Decided(DecisionKind kind, List<Scope> scope, int effectiveDay, int recordedDelay, Integer lengthDays,
                   Integer reversedAfterDays) {
    }

    @Provide
    Arbitrary<List<Decided>> histories() {
        Arbitrary<List<Scope>> scopes = Arbitraries.of(Scope.class).set().ofMinSize(1).map(set ->
                set.stream().sorted().toList());
        Arbitrary<Decided> decided = Combinators.combine(Arbitraries.of(DecisionKind.class), scopes,
                Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(1, 90).injectNull(0.5),
                Arbitraries.integers().between(1, 120).injectNull(0.6)).as(Decided::new);
        return decided.list().ofMaxSize(8);
    }

    private static Instant day(int days) {
        return YEAR.plusSeconds(days * 86_400L);
    }

    private static JsonNode envelope(AdvertiserEvent event, Instant recorded, Instant effective) {
        EventCatalog.EventType type = EventCatalog.of(event.getClass());
        ObjectNode envelope = EventJson.mapper().createObjectNode().put("eventType", type.name())
                .put("schemaVersion", type.schemaVersion()).put("occurredAt", recorded.toString())
                .put("effectiveAt", effective.toString());
        envelope.set("payload", EventJson.mapper().valueToTree(event));
        return envelope;
    }

    private static DecisionTerms terms(Decided decided) {
        Instant from = day(decided.effectiveDay());
        Instant expires = decided.kind() == DecisionKind.BAN || decided.lengthDays() == null ? null
                : from.plusSeconds(decided.lengthDays() * 86_400L);
        return new DecisionTerms(decided.scope(), new PolicyReference("p", "1", "1", "t"), Ground.INCOMPATIBLE_CONTENT,
                null, StatementCategory.STATEMENT_CATEGORY_OTHER_VIOLATION_TC, "s", List.of("WORLDWIDE"), false,
                AutomatedDecision.NOT_AUTOMATED, List.of(), from, expires, null, null);
    }

    private static Instant recorded(Decided decided) {
        return day(decided.effectiveDay() + decided.recordedDelay());
    }

    private static Instant reversedAt(Decided decided) {
        return decided.reversedAfterDays() == null ? null
                : recorded(decided).plusSeconds(decided.reversedAfterDays() * 86_400L);
    }

    @Property(tries = 300)
    void theFoldAgreesWithABruteForceModel(@ForAll("histories") List<Decided> history,
                                           @ForAll("days") int asOfDay, @ForAll("days") int knownAtDay) {
        List<JsonNode> envelopes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Decided decided = history.get(i);
            String id = String.format("00000000-0000-0000-0000-%012d", i);
            ids.add(id);
            DecisionTerms terms = terms(decided);
            envelopes.add(envelope(DecisionEvent.of(decided.kind(), id, terms), recorded(decided),
                    terms.effectiveFrom()));
            if (reversedAt(decided) != null) {
                envelopes.add(envelope(new DecisionReversed(id, "r"), reversedAt(decided), reversedAt(decided)));
            }
        }
        // Stored order is the order of recording.
        envelopes.sort((a, b) -> a.path("occurredAt").asText().compareTo(b.path("occurredAt").asText()));
        Instant asOf = day(asOfDay);
        Instant knownAt = day(knownAtDay);

        AdvertiserState.State state = AdvertiserState.fold("acme", envelopes, asOf, knownAt);

        for (Scope scope : Scope.values()) {
            AdvertiserState.Status expected = AdvertiserState.Status.ALLOWED;
            for (Decided decided : history) {
                DecisionTerms terms = terms(decided);
                boolean known = !recorded(decided).isAfter(knownAt);
                boolean started = !terms.effectiveFrom().isAfter(asOf);
                boolean expired = terms.expiresAt() != null && !asOf.isBefore(terms.expiresAt());
                Instant reversed = reversedAt(decided);
                boolean reversedByThen = reversed != null && !reversed.isAfter(knownAt) && !asOf.isBefore(reversed);
                if (known && started && !expired && !reversedByThen && decided.scope().contains(scope)) {
                    AdvertiserState.Status status = switch (decided.kind()) {
                        case BAN -> AdvertiserState.Status.BANNED;
                        case SUSPENSION -> AdvertiserState.Status.SUSPENDED;
                        case RESTRICTION -> AdvertiserState.Status.RESTRICTED;
                        case WARNING -> AdvertiserState.Status.WARNED;
                    };
                    if (status.compareTo(expected) > 0) {
                        expected = status;
                    }
                }
            }
            assertThat(state.scopes().get(scope)).as("%s as of day %d known at day %d", scope, asOfDay, knownAtDay)
                    .isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<Integer> days() {
        return Arbitraries.integers().between(0, 420);
    }
}
