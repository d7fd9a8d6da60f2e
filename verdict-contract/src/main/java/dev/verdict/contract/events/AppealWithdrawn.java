package dev.verdict.contract.events;

/** The filer withdrew an open appeal. */
public record AppealWithdrawn(String appealId, String decisionId) implements AdvertiserEvent {
}
