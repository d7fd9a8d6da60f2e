package dev.verdict.contract.events;

import java.time.Instant;
import java.util.List;

/**
 * Everything a decision says, common to every kind: what it covers, under which rule, on which ground, in words the
 * advertiser will read, on what evidence, and from when (business time, which may precede the recording).
 *
 * @param scope             non-empty, distinct, in enum order (a list, so that its JSON form is deterministic)
 * @param legalGround       required when {@code ground} is ILLEGAL_CONTENT, otherwise null
 * @param territorialScope  ISO 3166-1 alpha-2 codes, or the single value WORLDWIDE
 * @param expiresAt         required for SUSPENSION, null for BAN
 * @param batchId           set when the decision was issued as part of a bulk request
 * @param source            where the information came from; an optional field added after version 1 was drawn
 *                          (absent, read as null, in events that predate it)
 */
public record DecisionTerms(
        List<Scope> scope,
        PolicyReference policy,
        Ground ground,
        String legalGround,
        StatementCategory category,
        String statement,
        List<String> territorialScope,
        boolean automatedDetection,
        AutomatedDecision automatedDecision,
        List<Evidence> evidence,
        Instant effectiveFrom,
        Instant expiresAt,
        String batchId,
        InformationSource source) {

    /** What every decision names; a payload without it is not a decision this contract can read. */
    public DecisionTerms {
        java.util.Objects.requireNonNull(scope, "scope");
        java.util.Objects.requireNonNull(policy, "policy");
        java.util.Objects.requireNonNull(ground, "ground");
        java.util.Objects.requireNonNull(category, "category");
        java.util.Objects.requireNonNull(statement, "statement");
        java.util.Objects.requireNonNull(territorialScope, "territorialScope");
        java.util.Objects.requireNonNull(automatedDecision, "automatedDecision");
        java.util.Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        evidence = evidence == null ? List.of() : evidence;
    }
}
