package dev.verdict.audit.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.events.AdvertiserEvent;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.AppealOverturned;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionReversed;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.EventReader;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.SuspensionExpired;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An advertiser's state in effect at business time {@code asOf}, as it was known at recorded time {@code knownAt}:
 * only events recorded by {@code knownAt} count, and each decision applies from its {@code effectiveFrom} until the
 * first of its expiry and the business time of whatever ended it (a reversal, a ruling, an expiry). A ban recorded in
 * April with effect from February: as of March known in March, not banned; as of March known in May, banned.
 */
public final class AdvertiserState {

    /** The five states of a scope, from least to most severe. */
    enum Status { ALLOWED, WARNED, RESTRICTED, SUSPENDED, BANNED }

    public record DecisionInEffect(String decisionId, DecisionKind kind, List<Scope> scope, PolicyReference policy,
                                   Instant effectiveFrom, Instant expiresAt) {
    }

    public record State(String advertiserId, Instant asOf, Instant knownAt, Map<Scope, Status> scopes,
                        List<DecisionInEffect> decisionsInEffect) {
    }

    private static final class Decision {
        final String id;
        final DecisionKind kind;
        final DecisionTerms terms;
        Instant end;

        Decision(String id, DecisionKind kind, DecisionTerms terms) {
            this.id = id;
            this.kind = kind;
            this.terms = terms;
            this.end = terms.expiresAt();
        }

        void endAt(Instant at) {
            end = end == null || at.isBefore(end) ? at : end;
        }

        boolean inEffectAt(Instant asOf) {
            return !terms.effectiveFrom().isAfter(asOf) && (end == null || asOf.isBefore(end));
        }
    }

    private AdvertiserState() {
    }

    /** @param envelopes the advertiser's envelopes in sequence order; those recorded after knownAt are ignored */
    public static State fold(String advertiserId, List<JsonNode> envelopes, Instant asOf, Instant knownAt) {
        Map<String, Decision> decisions = new LinkedHashMap<>();
        for (JsonNode envelope : envelopes) {
            if (Instant.parse(envelope.path("occurredAt").asText()).isAfter(knownAt)) {
                continue;
            }
            Instant businessTime = Instant.parse(envelope.path("effectiveAt").asText());
            AdvertiserEvent event = read(envelope).orElse(null);
            if (event instanceof DecisionEvent decision) {
                decisions.put(decision.decisionId(), new Decision(decision.decisionId(), decision.kind(),
                        decision.terms()));
            } else if (event instanceof DecisionReversed reversed) {
                end(decisions, reversed.decisionId(), businessTime);
            } else if (event instanceof SuspensionExpired expired) {
                end(decisions, expired.decisionId(), expired.expiredAt());
            } else if (event instanceof AppealOverturned overturned) {
                end(decisions, overturned.decisionId(), businessTime);
            } else if (event instanceof AppealModified modified) {
                end(decisions, modified.decisionId(), businessTime);
                decisions.put(modified.replacementDecisionId(), new Decision(modified.replacementDecisionId(),
                        modified.replacementKind(), modified.replacementTerms()));
            }
        }
        Map<Scope, Status> scopes = new LinkedHashMap<>();
        for (Scope scope : Scope.values()) {
            scopes.put(scope, Status.ALLOWED);
        }
        List<DecisionInEffect> inEffect = new ArrayList<>();
        for (Decision decision : decisions.values()) {
            if (decision.inEffectAt(asOf)) {
                inEffect.add(new DecisionInEffect(decision.id, decision.kind, decision.terms.scope(),
                        decision.terms.policy(), decision.terms.effectiveFrom(), decision.end));
                Status status = status(decision.kind);
                decision.terms.scope().forEach(scope -> scopes.merge(scope, status,
                        (a, b) -> a.compareTo(b) >= 0 ? a : b));
            }
        }
        return new State(advertiserId, asOf, knownAt, scopes, inEffect);
    }

    private static void end(Map<String, Decision> decisions, String decisionId, Instant at) {
        Decision decision = decisions.get(decisionId);
        if (decision != null) {
            decision.endAt(at);
        }
    }

    private static Status status(DecisionKind kind) {
        return switch (kind) {
            case BAN -> Status.BANNED;
            case SUSPENSION -> Status.SUSPENDED;
            case RESTRICTION -> Status.RESTRICTED;
            case WARNING -> Status.WARNED;
        };
    }

    /** An event this version cannot read (unknown, or malformed) changes no state: it is kept, flagged, skipped. */
    private static Optional<AdvertiserEvent> read(JsonNode envelope) {
        return EventReader.readable(envelope);
    }
}
