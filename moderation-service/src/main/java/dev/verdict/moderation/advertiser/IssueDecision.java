package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * @param expectedVersion the advertiser's version the caller saw (If-Match), or null
 * @param recordedAt      when the service received the command; decisions may take effect earlier, never later
 */
public record IssueDecision(@TargetAggregateIdentifier String advertiserId,
                            @TargetAggregateVersion Long expectedVersion,
                            String decisionId,
                            DecisionKind kind,
                            DecisionTerms terms,
                            Instant recordedAt) {
}
