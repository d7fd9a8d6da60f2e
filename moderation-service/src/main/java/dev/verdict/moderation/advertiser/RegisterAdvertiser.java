package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.AccountType;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RegisterAdvertiser(@TargetAggregateIdentifier String advertiserId, String legalName, String country,
                                 AccountType accountType) {
}
