package dev.verdict.contract.events;

/** A reviewer who did not take the decision upheld it: it stays in effect. */
public record AppealUpheld(String appealId, String decisionId, String rationale) implements AdvertiserEvent {
}
