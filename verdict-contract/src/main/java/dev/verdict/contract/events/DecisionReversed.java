package dev.verdict.contract.events;

/** A moderator reversed a decision in effect; the advertiser is reinstated on its scope. Ends any open appeal. */
public record DecisionReversed(String decisionId, String reason) implements AdvertiserEvent {
}
