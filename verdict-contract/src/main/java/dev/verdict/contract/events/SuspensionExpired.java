package dev.verdict.contract.events;

import java.time.Instant;

/** A suspension ended by itself at its {@code expiresAt} (recorded by the system, from a persistent deadline). */
public record SuspensionExpired(String decisionId, Instant expiredAt) implements AdvertiserEvent {

    @Override
    public Instant businessTime() {
        return expiredAt;
    }
}
