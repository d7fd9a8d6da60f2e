package dev.verdict.contract.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A decision of kind {@link DecisionKind#SUSPENSION} was taken about the advertiser. */
public record AdvertiserSuspended(String decisionId, DecisionTerms terms) implements DecisionEvent {

    @Override
    @JsonIgnore
    public DecisionKind kind() {
        return DecisionKind.SUSPENSION;
    }
}
