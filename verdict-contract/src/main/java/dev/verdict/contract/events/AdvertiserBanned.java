package dev.verdict.contract.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A decision of kind {@link DecisionKind#BAN} was taken about the advertiser. */
public record AdvertiserBanned(String decisionId, DecisionTerms terms) implements DecisionEvent {

    public AdvertiserBanned {
        java.util.Objects.requireNonNull(decisionId, "decisionId");
        java.util.Objects.requireNonNull(terms, "terms");
    }

    @Override
    @JsonIgnore
    public DecisionKind kind() {
        return DecisionKind.BAN;
    }
}
