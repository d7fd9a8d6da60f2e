package dev.verdict.moderation.advertiser;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** @param decisionId the decision the note is about, or null for a note about the advertiser */
public record AddNote(@TargetAggregateIdentifier String advertiserId, @TargetAggregateVersion Long expectedVersion,
                      String noteId, String decisionId, String text) {
}
