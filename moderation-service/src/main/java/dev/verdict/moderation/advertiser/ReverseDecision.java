package dev.verdict.moderation.advertiser;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

public record ReverseDecision(@TargetAggregateIdentifier String advertiserId, @TargetAggregateVersion Long expectedVersion,
                              String decisionId, String reason) {
}
