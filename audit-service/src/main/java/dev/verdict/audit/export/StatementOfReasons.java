package dev.verdict.audit.export;

import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.InformationSource;
import dev.verdict.contract.events.Scope;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decision as a statement of reasons for the DSA Transparency Database, in its API's version 2 field names and
 * enumerations (sources in docs/research/dsa-statement-of-reasons-api.md), or the reasons it cannot be reported.
 * Nothing is invented: a decision that lacks what the database requires is reported as not reportable, with why.
 */
final class StatementOfReasons {

    /** The 27 EU states and the EEA's Iceland, Liechtenstein and Norway, as the database spells them (GR). */
    static final List<String> EEA = List.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR",
            "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK");
    private static final int EXPLANATION_LIMIT = 2000;
    private static final int GROUND_LIMIT = 500;
    private static final LocalDate EARLIEST_APPLICATION = LocalDate.of(2020, 1, 1);
    private static final LocalDate EARLIEST_CONTENT = LocalDate.of(2000, 1, 1);

    /** A decision to report: the statement, or why there is none. */
    record Outcome(String decisionId, String advertiserId, boolean reportable, Map<String, Object> statement,
                   List<String> reasons) {
    }

    private StatementOfReasons() {
    }

    /**
     * @param accountType  from the advertiser's registration, or null if unknown
     * @param registeredAt when the advertiser was registered (the content's date, for an account-level decision)
     */
    static Outcome of(String decisionId, String advertiserId, DecisionKind kind, DecisionTerms terms,
                      AccountType accountType, Instant registeredAt) {
        List<String> reasons = new ArrayList<>();
        if (kind == DecisionKind.WARNING) {
            reasons.add("a warning restricts nothing, so no statement of reasons is due (DSA Art. 17(1))");
        }
        List<String> territories = terms.territorialScope().contains("WORLDWIDE") ? EEA
                : terms.territorialScope().stream().map(code -> code.equals("EL") ? "GR" : code)
                .filter(EEA::contains).sorted().toList();
        if (territories.isEmpty()) {
            reasons.add("the decision applies only outside the EU and the EEA");
        }
        InformationSource source = terms.source();
        if (source == null) {
            reasons.add("the decision does not record where its information came from (source_type)");
        }
        LocalDate applicationDate = date(terms.effectiveFrom());
        if (applicationDate.isBefore(EARLIEST_APPLICATION)) {
            reasons.add("the database accepts application dates from 2020-01-01 only");
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("puid", decisionId);
        decisionFields(kind, terms, statement);
        if (terms.ground() == Ground.ILLEGAL_CONTENT) {
            statement.put("decision_ground", "DECISION_GROUND_ILLEGAL_CONTENT");
            statement.put("illegal_content_legal_ground", within(terms.legalGround(), GROUND_LIMIT,
                    "illegal_content_legal_ground", reasons));
            statement.put("illegal_content_explanation", within(terms.statement(), EXPLANATION_LIMIT,
                    "illegal_content_explanation (the statement)", reasons));
        } else {
            statement.put("decision_ground", "DECISION_GROUND_INCOMPATIBLE_CONTENT");
            statement.put("incompatible_content_ground", within(terms.policy().id() + " version "
                    + terms.policy().version() + ", clause " + terms.policy().clause(), GROUND_LIMIT,
                    "incompatible_content_ground", reasons));
            statement.put("incompatible_content_explanation", within(terms.policy().clauseText(), EXPLANATION_LIMIT,
                    "incompatible_content_explanation (the clause text)", reasons));
            statement.put("incompatible_content_illegal", "No");
        }
        statement.put("content_type", List.of("CONTENT_TYPE_OTHER"));
        statement.put("content_type_other", "Advertiser account and its advertisements");
        statement.put("category", terms.category().name());
        statement.put("territorial_scope", territories);
        LocalDate contentDate = registeredAt == null ? applicationDate : date(registeredAt);
        statement.put("content_date", (contentDate.isBefore(EARLIEST_CONTENT) ? EARLIEST_CONTENT : contentDate)
                .toString());
        statement.put("application_date", applicationDate.toString());
        statement.put("decision_facts", terms.statement());
        if (source != null) {
            statement.put("source_type", source.type().name());
            if (source.type() != InformationSource.Type.SOURCE_VOLUNTARY && source.identity() != null) {
                statement.put("source_identity", source.identity());
            }
        }
        statement.put("automated_detection", terms.automatedDetection() ? "Yes" : "No");
        statement.put("automated_decision", "AUTOMATED_DECISION_" + terms.automatedDecision().name());
        if (accountType != null) {
            statement.put("account_type", "ACCOUNT_TYPE_" + accountType.name());
        }
        return reasons.isEmpty() ? new Outcome(decisionId, advertiserId, true, statement, List.of())
                : new Outcome(decisionId, advertiserId, false, null, reasons);
    }

    /**
     * What the decision restricts: the whole account (account suspended or terminated), the service it provides (all
     * of it, or part, such as advertising only), or, for a restriction short of suspension, visibility.
     */
    private static void decisionFields(DecisionKind kind, DecisionTerms terms, Map<String, Object> statement) {
        String end = terms.expiresAt() == null ? null : date(terms.expiresAt()).toString();
        boolean account = terms.scope().contains(Scope.ACCOUNT);
        boolean wholeService = terms.scope().contains(Scope.ADVERTISING) && terms.scope().contains(Scope.ORGANIC);
        switch (kind) {
            case BAN, SUSPENSION -> {
                boolean ban = kind == DecisionKind.BAN;
                if (account) {
                    statement.put("decision_account", ban ? "DECISION_ACCOUNT_TERMINATED" : "DECISION_ACCOUNT_SUSPENDED");
                    putIfPresent(statement, "end_date_account_restriction", end);
                } else {
                    statement.put("decision_provision", "DECISION_PROVISION_" + (wholeService ? "TOTAL" : "PARTIAL")
                            + (ban ? "_TERMINATION" : "_SUSPENSION"));
                    putIfPresent(statement, "end_date_service_restriction", end);
                }
            }
            case RESTRICTION, WARNING -> {
                statement.put("decision_visibility", List.of("DECISION_VISIBILITY_OTHER"));
                statement.put("decision_visibility_other", "Restriction of the advertiser's "
                        + String.join(" and ", terms.scope().stream().map(s -> s.name().toLowerCase()).toList()));
                putIfPresent(statement, "end_date_visibility_restriction", end);
            }
        }
    }

    private static String within(String text, int limit, String field, List<String> reasons) {
        if (text == null || text.isBlank()) {
            reasons.add(field + " is empty");
        } else if (text.length() > limit) {
            reasons.add(field + " has " + text.length() + " characters; the database accepts " + limit);
        }
        return text;
    }

    private static void putIfPresent(Map<String, Object> statement, String field, String value) {
        if (value != null) {
            statement.put(field, value);
        }
    }

    private static LocalDate date(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
