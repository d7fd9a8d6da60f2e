package dev.verdict.contract.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A decision of kind {@link DecisionKind#SUSPENSION} was taken about the advertiser. */
public record AdvertiserSuspended(String decisionId, DecisionTerms terms) implements DecisionEvent {

    public AdvertiserSuspended {
        java.util.Objects.requireNonNull(decisionId, "decisionId");
        java.util.Objects.requireNonNull(terms, "terms");
    }

    @Override
    @JsonIgnore
    public DecisionKind kind() {
        return DecisionKind.SUSPENSION;
    }
}
