package dev.verdict.contract.events;

/** An advertiser became known to Verdict. */
public record AdvertiserRegistered(String advertiserId, String legalName, String country, AccountType accountType)
        implements AdvertiserEvent {
}
