package dev.verdict.contract.events;

/**
 * A reviewer who did not take the decision replaced it with a narrower one: the original ends and
 * {@code replacementDecisionId} takes effect with {@code replacementKind} and {@code replacementTerms}.
 */
public record AppealModified(String appealId, String decisionId, String rationale, String replacementDecisionId,
                             DecisionKind replacementKind, DecisionTerms replacementTerms) implements AdvertiserEvent {
}
