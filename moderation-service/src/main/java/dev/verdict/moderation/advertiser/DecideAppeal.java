package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.Scope;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * @param replacement only for MODIFIED: what the narrower decision changes; the rest is kept from the original
 * @param decidedAt   when the service received the ruling (a replacement takes effect then)
 */
public record DecideAppeal(@TargetAggregateIdentifier String advertiserId, @TargetAggregateVersion Long expectedVersion,
                           String appealId, AppealOutcome outcome, String rationale, Replacement replacement,
                           Instant decidedAt) {

    /**
     * The narrower decision of a MODIFIED outcome.
     *
     * @param statement the statement of reasons of the replacement; null keeps the original's
     */
    public record Replacement(String decisionId, DecisionKind kind, List<Scope> scope, List<String> territorialScope,
                              Instant expiresAt, String statement) {
    }
}
