package dev.verdict.moderation.advertiser;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** @param byAdvertiserAccount true when an ADVERTISER account bound to this advertiser sends it */
public record WithdrawAppeal(@TargetAggregateIdentifier String advertiserId, @TargetAggregateVersion Long expectedVersion,
                             String appealId, boolean byAdvertiserAccount) {
}
