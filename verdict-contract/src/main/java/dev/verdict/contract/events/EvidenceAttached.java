package dev.verdict.contract.events;

import java.util.List;

/** More evidence was attached to a decision after it was taken. */
public record EvidenceAttached(String decisionId, List<Evidence> evidence) implements AdvertiserEvent {
}
