package dev.verdict.moderation.policy;

import java.time.Instant;
import java.util.List;

/** A registered policy version: immutable once registered. */
public record PolicyVersion(String id, String version, String title, List<PolicyRegistration.Clause> clauses,
                            Instant registeredAt, String registeredBy) {
}
