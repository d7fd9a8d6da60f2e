package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.Evidence;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

public record AttachEvidence(@TargetAggregateIdentifier String advertiserId, @TargetAggregateVersion Long expectedVersion,
                             String decisionId, List<Evidence> evidence) {
}
