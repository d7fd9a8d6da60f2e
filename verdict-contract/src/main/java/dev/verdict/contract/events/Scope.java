package dev.verdict.contract.events;

/** What part of the advertiser's presence a decision applies to. An ads-only ban leaves ORGANIC allowed. */
public enum Scope {
    ADVERTISING,
    ORGANIC,
    ACCOUNT
}
