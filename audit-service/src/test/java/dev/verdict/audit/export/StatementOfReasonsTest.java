package dev.verdict.audit.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Evidence;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.InformationSource;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.StatementCategory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decisions mapped to the DSA Transparency Database's statement of reasons: every statement produced validates
 * against a schema written from the database's own validation rules; what cannot be reported says why.
 */
class StatementOfReasonsTest {

    static final JsonSchema TDB = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(StatementOfReasonsTest.class.getResourceAsStream("/dsa/tdb-statement.v2.schema.json"));
    private static final Instant REGISTERED = Instant.parse("2017-03-01T09:00:00Z");

    static DecisionTerms terms(List<Scope> scope, Ground ground, List<String> territories, Instant expires,
                               InformationSource source, String clauseText) {
        return new DecisionTerms(scope, new PolicyReference("ads/unacceptable-business-practices", "2018-01", "4.2",
                clauseText), ground, ground == Ground.ILLEGAL_CONTENT ? "Article 6 of a national act" : null,
                StatementCategory.STATEMENT_CATEGORY_OTHER_VIOLATION_TC, "Your account may no longer advertise.",
                territories, false, AutomatedDecision.NOT_AUTOMATED,
                List.of(new Evidence("urn:e", "a".repeat(64), "text/plain", "notice")),
                Instant.parse("2024-05-10T00:00:00Z"), expires, null, source);
    }

    private static final InformationSource NOTICE =
            new InformationSource(InformationSource.Type.SOURCE_TYPE_OTHER_NOTIFICATION, "A government authority");

    static List<String> violations(JsonNode statement) {
        return TDB.validate(statement).stream().map(Object::toString).toList();
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            BAN         | ADVERTISING          | decision_provision | DECISION_PROVISION_PARTIAL_TERMINATION
            BAN         | ADVERTISING,ORGANIC  | decision_provision | DECISION_PROVISION_TOTAL_TERMINATION
            BAN         | ACCOUNT              | decision_account   | DECISION_ACCOUNT_TERMINATED
            SUSPENSION  | ADVERTISING          | decision_provision | DECISION_PROVISION_PARTIAL_SUSPENSION
            SUSPENSION  | ACCOUNT              | decision_account   | DECISION_ACCOUNT_SUSPENDED
            RESTRICTION | ORGANIC              | decision_visibility | DECISION_VISIBILITY_OTHER
            """)
    void eachRestrictiveDecisionBecomesAStatementTheDatabaseWouldAccept(DecisionKind kind, String scopes,
                                                                        String field, String value) {
        List<Scope> scope = java.util.Arrays.stream(scopes.split(",")).map(Scope::valueOf).toList();
        Instant expires = kind == DecisionKind.SUSPENSION ? Instant.parse("2024-06-10T00:00:00Z") : null;
        var outcome = StatementOfReasons.of("8ea31715-bbd8-4835-840a-46ab073e5616", "acme", kind,
                terms(scope, Ground.INCOMPATIBLE_CONTENT, List.of("WORLDWIDE"), expires, NOTICE, "Ads must not..."),
                AccountType.BUSINESS, REGISTERED);

        assertThat(outcome.reportable()).as("%s", outcome.reasons()).isTrue();
        JsonNode statement = EventJson.mapper().valueToTree(outcome.statement());
        assertThat(violations(statement)).isEmpty();
        assertThat(statement.path(field).isArray() ? statement.path(field).get(0).asText()
                : statement.path(field).asText()).isEqualTo(value);
        assertThat(statement.path("territorial_scope")).hasSize(30);
        assertThat(statement.path("content_date").asText()).isEqualTo("2017-03-01");
        assertThat(statement.path("application_date").asText()).isEqualTo("2024-05-10");
        if (expires != null) {
            assertThat(statement.toString()).contains("2024-06-10");
        }
    }

    @Test
    void anIllegalContentDecisionNamesItsLegalGroundAndTheEuPartOfItsTerritory() {
        var outcome = StatementOfReasons.of("8ea31715-bbd8-4835-840a-46ab073e5616", "acme", DecisionKind.BAN,
                terms(List.of(Scope.ADVERTISING), Ground.ILLEGAL_CONTENT, List.of("DE", "US", "FR"), null, NOTICE,
                        "text"), AccountType.PRIVATE, REGISTERED);
        JsonNode statement = EventJson.mapper().valueToTree(outcome.statement());

        assertThat(violations(statement)).isEmpty();
        assertThat(statement.path("decision_ground").asText()).isEqualTo("DECISION_GROUND_ILLEGAL_CONTENT");
        assertThat(statement.path("illegal_content_legal_ground").asText()).isEqualTo("Article 6 of a national act");
        assertThat(statement.path("territorial_scope").toString()).isEqualTo("[\"DE\",\"FR\"]");
        assertThat(statement.path("source_identity").asText()).isEqualTo("A government authority");
        assertThat(statement.path("account_type").asText()).isEqualTo("ACCOUNT_TYPE_PRIVATE");
    }

    @Test
    void whatCannotBeReportedSaysWhy() {
        String id = "8ea31715-bbd8-4835-840a-46ab073e5616";
        var warning = StatementOfReasons.of(id, "acme", DecisionKind.WARNING, terms(List.of(Scope.ADVERTISING),
                Ground.INCOMPATIBLE_CONTENT, List.of("WORLDWIDE"), null, NOTICE, "text"), AccountType.BUSINESS,
                REGISTERED);
        var noSource = StatementOfReasons.of(id, "acme", DecisionKind.BAN, terms(List.of(Scope.ADVERTISING),
                Ground.INCOMPATIBLE_CONTENT, List.of("WORLDWIDE"), null, null, "text"), AccountType.BUSINESS,
                REGISTERED);
        var outside = StatementOfReasons.of(id, "acme", DecisionKind.BAN, terms(List.of(Scope.ADVERTISING),
                Ground.INCOMPATIBLE_CONTENT, List.of("US", "CA"), null, NOTICE, "text"), AccountType.BUSINESS,
                REGISTERED);
        var longClause = StatementOfReasons.of(id, "acme", DecisionKind.BAN, terms(List.of(Scope.ADVERTISING),
                Ground.INCOMPATIBLE_CONTENT, List.of("WORLDWIDE"), null, NOTICE, "x".repeat(2001)),
                AccountType.BUSINESS, REGISTERED);

        assertThat(warning.reportable()).isFalse();
        assertThat(warning.reasons()).anyMatch(reason -> reason.contains("warning restricts nothing"));
        assertThat(noSource.reasons()).anyMatch(reason -> reason.contains("source_type"));
        assertThat(outside.reasons()).anyMatch(reason -> reason.contains("outside the EU"));
        assertThat(longClause.reasons()).anyMatch(reason -> reason.contains("2001 characters"));
        assertThat(List.of(warning, noSource, outside, longClause)).allMatch(o -> o.statement() == null);
    }

    @Test
    void theTestSchemaRefusesWhatTheDatabaseRefuses() {
        var outcome = StatementOfReasons.of("8ea31715-bbd8-4835-840a-46ab073e5616", "acme", DecisionKind.BAN,
                terms(List.of(Scope.ADVERTISING), Ground.INCOMPATIBLE_CONTENT, List.of("WORLDWIDE"), null, NOTICE,
                        "text"), AccountType.BUSINESS, REGISTERED);
        var valid = (com.fasterxml.jackson.databind.node.ObjectNode) EventJson.mapper().valueToTree(outcome.statement());
        var noDecision = valid.deepCopy();
        noDecision.remove("decision_provision");
        var badPuid = valid.deepCopy().put("puid", "has spaces");
        var badCategory = valid.deepCopy().put("category", "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE");

        assertThat(violations(valid)).isEmpty();
        assertThat(violations(noDecision)).isNotEmpty();
        assertThat(violations(badPuid)).isNotEmpty();
        assertThat(violations(badCategory)).isNotEmpty();
    }
}
