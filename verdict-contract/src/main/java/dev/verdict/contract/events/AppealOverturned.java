package dev.verdict.contract.events;

/** A reviewer who did not take the decision overturned it: the decision is reversed. */
public record AppealOverturned(String appealId, String decisionId, String rationale) implements AdvertiserEvent {
}
