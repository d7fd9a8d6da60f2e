package dev.verdict.audit.decision;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AdvertiserEvent;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.AppealOverturned;
import dev.verdict.contract.events.AppealUpheld;
import dev.verdict.contract.events.AppealWithdrawn;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionReversed;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.EventReader;
import dev.verdict.contract.events.Evidence;
import dev.verdict.contract.events.EvidenceAttached;
import dev.verdict.contract.events.NoteAdded;
import dev.verdict.contract.events.SuspensionExpired;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything about one decision, from the events alone: what it said and under which rule, on what evidence, who took
 * it, its appeals and their outcomes, how it ended, and the events that produced each part ({@code events}: the
 * envelopes exactly as published, each act naming its eventId).
 */
public record DecisionDossier(String decisionId, String advertiserId, DecisionKind kind, String status,
                              DecisionTerms terms, Act decided, List<AttachedEvidence> attachedEvidence,
                              List<Appeal> appeals, Ending ending, String replaces, String replacedBy,
                              List<Note> notes, @JsonRawValue String events) {

    /** Who did something, when (recorded), by which event. */
    public record Act(String by, String onBehalfOf, String at, String eventId) {
    }

    public record AttachedEvidence(List<Evidence> evidence, Act act) {
    }

    public record Appeal(String appealId, String statement, List<Evidence> evidence, String deadline, Act filed,
                         String outcome, String rationale, Act ruled) {
    }

    /** How the decision stopped applying: REVERSED, OVERTURNED, REPLACED or EXPIRED, with the reason given. */
    public record Ending(String how, String reason, String effectiveAt, Act act) {
    }

    public record Note(String text, Act act) {
    }

    /** @param envelopes the events that mention the decision, in the advertiser's sequence order */
    static DecisionDossier of(String decisionId, List<String> envelopes) {
        Builder builder = new Builder(decisionId);
        for (String text : envelopes) {
            try {
                JsonNode envelope = EventJson.mapper().readTree(text);
                EventReader.readable(envelope).ifPresent(event -> builder.accept(envelope, event));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return builder.build(envelopes);
    }

    private static final class Builder {
        final String decisionId;
        String advertiserId;
        DecisionKind kind;
        DecisionTerms terms;
        Act decided;
        final List<AttachedEvidence> attached = new ArrayList<>();
        final Map<String, Appeal> appeals = new LinkedHashMap<>();
        Ending ending;
        String replaces;
        String replacedBy;
        final List<Note> notes = new ArrayList<>();

        Builder(String decisionId) {
            this.decisionId = decisionId;
        }

        void accept(JsonNode envelope, AdvertiserEvent event) {
            Act act = new Act(envelope.path("actor").path("id").asText(null),
                    envelope.path("onBehalfOf").path("id").asText(null), envelope.path("occurredAt").asText(),
                    envelope.path("eventId").asText());
            advertiserId = envelope.path("advertiserId").asText();
            if (event instanceof DecisionEvent decision && decision.decisionId().equals(decisionId)) {
                kind = decision.kind();
                terms = decision.terms();
                decided = act;
            } else if (event instanceof EvidenceAttached evidence) {
                attached.add(new AttachedEvidence(evidence.evidence(), act));
            } else if (event instanceof AppealFiled filed) {
                appeals.put(filed.appealId(), new Appeal(filed.appealId(), filed.statement(), filed.evidence(),
                        filed.deadline().toString(), act, "OPEN", null, null));
            } else if (event instanceof AppealWithdrawn withdrawn) {
                rule(withdrawn.appealId(), "WITHDRAWN", null, act);
            } else if (event instanceof AppealUpheld upheld) {
                rule(upheld.appealId(), "UPHELD", upheld.rationale(), act);
            } else if (event instanceof AppealOverturned overturned) {
                rule(overturned.appealId(), "OVERTURNED", overturned.rationale(), act);
                end("OVERTURNED", overturned.rationale(), envelope, act);
            } else if (event instanceof AppealModified modified) {
                if (modified.replacementDecisionId().equals(decisionId)) {
                    kind = modified.replacementKind();
                    terms = modified.replacementTerms();
                    decided = act;
                    replaces = modified.decisionId();
                } else {
                    rule(modified.appealId(), "MODIFIED", modified.rationale(), act);
                    end("REPLACED", modified.rationale(), envelope, act);
                    replacedBy = modified.replacementDecisionId();
                }
            } else if (event instanceof DecisionReversed reversed) {
                end("REVERSED", reversed.reason(), envelope, act);
            } else if (event instanceof SuspensionExpired expired) {
                end("EXPIRED", "the suspension reached its expiry", envelope, act);
            } else if (event instanceof NoteAdded note) {
                notes.add(new Note(note.text(), act));
            }
        }

        private void rule(String appealId, String outcome, String rationale, Act act) {
            appeals.computeIfPresent(appealId, (id, appeal) -> new Appeal(appeal.appealId(), appeal.statement(),
                    appeal.evidence(), appeal.deadline(), appeal.filed(), outcome, rationale, act));
        }

        private void end(String how, String reason, JsonNode envelope, Act act) {
            if (ending == null) {
                ending = new Ending(how, reason, envelope.path("effectiveAt").asText(), act);
            }
        }

        DecisionDossier build(List<String> envelopes) {
            if (terms == null) {
                return null;
            }
            // Any appeal still open when the decision ended was mooted by that end.
            if (ending != null) {
                appeals.replaceAll((id, appeal) -> appeal.outcome().equals("OPEN") ? new Appeal(appeal.appealId(),
                        appeal.statement(), appeal.evidence(), appeal.deadline(), appeal.filed(), "MOOT", null, null)
                        : appeal);
            }
            return new DecisionDossier(decisionId, advertiserId, kind, ending == null ? "IN_EFFECT" : ending.how(),
                    terms, decided, attached, new ArrayList<>(appeals.values()), ending, replaces, replacedBy, notes,
                    "[" + String.join(",", envelopes) + "]");
        }
    }
}
