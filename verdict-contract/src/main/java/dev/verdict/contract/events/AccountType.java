package dev.verdict.contract.events;

/** Whether the advertiser is a business or a private person (DSA `account_type`). */
public enum AccountType {
    BUSINESS,
    PRIVATE
}
