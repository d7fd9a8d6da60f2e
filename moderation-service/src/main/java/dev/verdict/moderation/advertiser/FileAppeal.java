package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.Evidence;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** @param filedAt when the service received the appeal; it must fall inside the decision's appeal window */
public record FileAppeal(@TargetAggregateIdentifier String advertiserId,
                         @TargetAggregateVersion Long expectedVersion,
                         String appealId,
                         String decisionId,
                         String statement,
                         List<Evidence> attachments,
                         Instant filedAt) {
}
