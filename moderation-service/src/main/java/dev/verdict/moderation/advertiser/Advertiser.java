package dev.verdict.moderation.advertiser;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.AppealOverturned;
import dev.verdict.contract.events.AppealUpheld;
import dev.verdict.contract.events.AppealWithdrawn;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionReversed;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.EvidenceAttached;
import dev.verdict.contract.events.NoteAdded;
import dev.verdict.contract.events.SuspensionExpired;
import dev.verdict.moderation.provenance.Provenance;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One advertiser and everything decided about it. Its event stream is the advertiser's history: the aggregate's
 * sequence numbers are the envelope's {@code sequence}, so one advertiser's events are totally ordered.
 *
 * <p>Command handlers decide and reject; event-sourcing handlers only assign state. Time comes in through the
 * command; the acting principal through the command's provenance metadata; the appeal window and the deadline
 * manager as injected resources. Kept in memory between commands (eventstore/AggregateCaching), so it holds only
 * what its rules decide on: of each decision its kind, author, status and dates, not its terms (statement, policy,
 * evidence), which the one rule that needs them reads back from the stream ({@link IssuedTerms}). With the terms
 * kept, 386,046 cached decisions (3,138 advertisers with about 117 each, and others) filled the 512 MiB heap even
 * after a full collection, and a little more load ended in OutOfMemoryError; without them, 401,946 take 132 MiB
 * in all (docs/PERFORMANCE.md).
 */
@Aggregate(cache = "advertiserCache")
public class Advertiser {

    static final String SUSPENSION_EXPIRY = "suspension-expiry";

    @AggregateIdentifier
    private String advertiserId;
    private long version;
    private final Map<String, Decision> decisions = new HashMap<>();
    private final Map<String, Appeal> appeals = new HashMap<>();

    /** Whether a decision still applies. Only IN_EFFECT decisions can be reversed, appealed to a ruling, expire. */
    enum DecisionStatus { IN_EFFECT, REVERSED, OVERTURNED, REPLACED, EXPIRED }

    enum AppealStatus { OPEN, WITHDRAWN, UPHELD, OVERTURNED, MODIFIED, MOOT }

    /**
     * @param issuedAt the sequence number of the event that issued the decision, where {@link IssuedTerms} finds
     *                 its terms
     */
    private record Decision(DecisionKind kind, String decidedBy, DecisionStatus status, Instant effectiveFrom,
                            Instant expiresAt, long issuedAt) {

        static Decision issued(DecisionKind kind, DecisionTerms terms, String decidedBy, long sequence) {
            return new Decision(kind, decidedBy, DecisionStatus.IN_EFFECT, terms.effectiveFrom(), terms.expiresAt(),
                    sequence);
        }

        Decision with(DecisionStatus newStatus) {
            return new Decision(kind, decidedBy, newStatus, effectiveFrom, expiresAt, issuedAt);
        }
    }

    private record Appeal(String decisionId, String filedBy, AppealStatus status) {
        Appeal with(AppealStatus newStatus) {
            return new Appeal(decisionId, filedBy, newStatus);
        }
    }

    protected Advertiser() {
        // for Axon
    }

    @CommandHandler
    public Advertiser(RegisterAdvertiser command) {
        apply(new AdvertiserRegistered(command.advertiserId(), command.legalName(), command.country(),
                command.accountType()));
    }

    /** @return the advertiser's new version */
    @CommandHandler
    public long handle(IssueDecision command, DeadlineManager deadlines) {
        if (decisions.containsKey(command.decisionId())) {
            throw new RuleViolation("decision-exists", "decision " + command.decisionId() + " already exists");
        }
        checkTerms(command.kind(), command.terms(), command.recordedAt());
        apply(DecisionEvent.of(command.kind(), command.decisionId(), command.terms()));
        scheduleExpiry(command.kind(), command.decisionId(), command.terms(), deadlines);
        return version;
    }

    private static void checkTerms(DecisionKind kind, DecisionTerms terms, Instant recordedAt) {
        if (terms.effectiveFrom().isAfter(recordedAt)) {
            throw new RuleViolation("effective-from-in-future",
                    "effectiveFrom may lie in the past, not in the future: the decision is recorded now");
        }
        if (kind == DecisionKind.SUSPENSION && terms.expiresAt() == null) {
            throw new RuleViolation("expiry-required", "a SUSPENSION needs expiresAt");
        }
        if (kind == DecisionKind.BAN && terms.expiresAt() != null) {
            throw new RuleViolation("expiry-not-allowed", "a BAN is indefinite: use a SUSPENSION to set expiresAt");
        }
        if (terms.expiresAt() != null && !terms.expiresAt().isAfter(terms.effectiveFrom())) {
            throw new RuleViolation("invalid-expiry", "expiresAt must be after effectiveFrom");
        }
    }

    private static void scheduleExpiry(DecisionKind kind, String decisionId, DecisionTerms terms,
                                       DeadlineManager deadlines) {
        if (kind == DecisionKind.SUSPENSION) {
            deadlines.schedule(terms.expiresAt(), SUSPENSION_EXPIRY, decisionId);
        }
    }

    /** @return the advertiser's new version */
    @CommandHandler
    public long handle(AttachEvidence command) {
        decision(command.decisionId());
        apply(new EvidenceAttached(command.decisionId(), command.evidence()));
        return version;
    }

    /** @return the advertiser's new version */
    @CommandHandler
    public long handle(ReverseDecision command) {
        decisionInEffect(command.decisionId());
        apply(new DecisionReversed(command.decisionId(), command.reason()));
        return version;
    }

    /** A suspension ends by itself: a persistent deadline set when it was issued. Ignored if it already ended. */
    @DeadlineHandler(deadlineName = SUSPENSION_EXPIRY)
    void expire(String decisionId) {
        Decision decision = decisions.get(decisionId);
        if (decision != null && decision.status() == DecisionStatus.IN_EFFECT
                && decision.kind() == DecisionKind.SUSPENSION) {
            apply(new SuspensionExpired(decisionId, decision.expiresAt()));
        }
    }

    /** @return the advertiser's new version */
    @CommandHandler
    public long handle(FileAppeal command, AppealWindow window) {
        Decision decision = decisionInEffect(command.decisionId());
        Instant deadline = window.closesAt(decision.effectiveFrom());
        if (command.filedAt().isAfter(deadline)) {
            throw new RuleViolation("appeal-window-closed", "the appeal window of decision " + command.decisionId()
                    + " closed at " + deadline);
        }
        boolean alreadyOpen = appeals.values().stream()
                .anyMatch(appeal -> appeal.status() == AppealStatus.OPEN
                        && appeal.decisionId().equals(command.decisionId()));
        if (alreadyOpen) {
            throw new RuleViolation("appeal-already-open", "decision " + command.decisionId()
                    + " already has an open appeal");
        }
        boolean alreadyRuled = appeals.values().stream()
                .anyMatch(appeal -> appeal.status() == AppealStatus.UPHELD
                        && appeal.decisionId().equals(command.decisionId()));
        if (alreadyRuled) {
            throw new RuleViolation("appeal-already-decided", "an appeal against decision " + command.decisionId()
                    + " was already ruled on; a decision is appealed once (a withdrawn appeal can be filed again)");
        }
        if (appeals.containsKey(command.appealId())) {
            throw new RuleViolation("appeal-exists", "appeal " + command.appealId() + " already exists");
        }
        apply(new AppealFiled(command.appealId(), command.decisionId(), command.statement(), command.attachments(),
                deadline));
        return version;
    }

    /** @return the advertiser's new version */
    @CommandHandler
    public long handle(WithdrawAppeal command, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        Appeal appeal = openAppeal(command.appealId());
        if (!command.byAdvertiserAccount() && !appeal.filedBy().equals(actor)) {
            throw new RuleViolation("not-appeal-filer", "only the advertiser or the one who filed the appeal ("
                    + appeal.filedBy() + ") can withdraw it");
        }
        apply(new AppealWithdrawn(command.appealId(), appeal.decisionId()));
        return version;
    }

    /** @return the advertiser's new version */
    @CommandHandler
    public long handle(DecideAppeal command, DeadlineManager deadlines, IssuedTerms issued,
                       @MetaDataValue(Provenance.ACTOR_ID) String reviewer,
                       @MetaDataValue(Provenance.ACTOR_TYPE) String reviewerType) {
        Appeal appeal = openAppeal(command.appealId());
        Decision decision = decisionInEffect(appeal.decisionId());
        if (!"HUMAN".equals(reviewerType)) {
            throw new RuleViolation("reviewer-not-a-person", "an appeal is decided by a person");
        }
        // Fails closed: a decision whose author is not known cannot be shown to have a second pair of eyes.
        if (reviewer == null || decision.decidedBy() == null || decision.decidedBy().equals(reviewer)) {
            throw new RuleViolation("four-eyes-violation", "the appeal must be decided by someone other than "
                    + decision.decidedBy() + ", who took the decision");
        }
        switch (command.outcome()) {
            case UPHELD -> apply(new AppealUpheld(command.appealId(), appeal.decisionId(), command.rationale()));
            case OVERTURNED -> apply(new AppealOverturned(command.appealId(), appeal.decisionId(),
                    command.rationale()));
            case MODIFIED -> {
                DecideAppeal.Replacement replacement = command.replacement();
                if (replacement == null) {
                    throw new RuleViolation("replacement-required", "a MODIFIED outcome names the narrower decision");
                }
                DecisionTerms original = issued.of(advertiserId, decision.issuedAt(), appeal.decisionId());
                DecisionTerms terms = replacementTerms(original, replacement, command.decidedAt());
                checkTerms(replacement.kind(), terms, command.decidedAt());
                Narrowing.check(decision.kind(), original, replacement.kind(), terms);
                apply(new AppealModified(command.appealId(), appeal.decisionId(), command.rationale(),
                        replacement.decisionId(), replacement.kind(), terms));
                scheduleExpiry(replacement.kind(), replacement.decisionId(), terms, deadlines);
            }
        }
        return version;
    }

    /**
     * The replacement keeps the original's rule, ground, category and evidence; it takes effect when the ruling is
     * recorded and, being decided by a person on review, is not automated.
     */
    private static DecisionTerms replacementTerms(DecisionTerms original, DecideAppeal.Replacement replacement,
                                                  Instant decidedAt) {
        return new DecisionTerms(replacement.scope(), original.policy(), original.ground(), original.legalGround(),
                original.category(), replacement.statement() != null ? replacement.statement() : original.statement(),
                replacement.territorialScope(), original.automatedDetection(),
                dev.verdict.contract.events.AutomatedDecision.NOT_AUTOMATED, original.evidence(), decidedAt,
                replacement.expiresAt(), null, original.source());
    }

    /** @return the advertiser's new version */
    @CommandHandler
    public long handle(AddNote command) {
        if (command.decisionId() != null) {
            decision(command.decisionId());
        }
        apply(new NoteAdded(command.noteId(), command.decisionId(), command.text()));
        return version;
    }

    private Decision decision(String decisionId) {
        Decision decision = decisions.get(decisionId);
        if (decision == null) {
            throw new RuleViolation("decision-not-found", "no decision " + decisionId + " on advertiser "
                    + advertiserId);
        }
        return decision;
    }

    private Decision decisionInEffect(String decisionId) {
        Decision decision = decision(decisionId);
        if (decision.status() != DecisionStatus.IN_EFFECT) {
            throw new RuleViolation("decision-not-in-effect", "decision " + decisionId + " is "
                    + decision.status().name().toLowerCase().replace('_', ' '));
        }
        return decision;
    }

    private Appeal openAppeal(String appealId) {
        Appeal appeal = appeals.get(appealId);
        if (appeal == null) {
            throw new RuleViolation("appeal-not-found", "no appeal " + appealId + " on advertiser " + advertiserId);
        }
        if (appeal.status() != AppealStatus.OPEN) {
            throw new RuleViolation("appeal-not-open", "appeal " + appealId + " is "
                    + appeal.status().name().toLowerCase());
        }
        return appeal;
    }

    @EventSourcingHandler
    void on(AdvertiserRegistered event, @SequenceNumber long sequence) {
        advertiserId = event.advertiserId();
        version = sequence;
    }

    @EventSourcingHandler
    void on(DecisionEvent event, @SequenceNumber long sequence, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        decisions.put(event.decisionId(), Decision.issued(event.kind(), event.terms(), actor, sequence));
        version = sequence;
    }

    @EventSourcingHandler
    void on(EvidenceAttached event, @SequenceNumber long sequence) {
        version = sequence;
    }

    @EventSourcingHandler
    void on(DecisionReversed event, @SequenceNumber long sequence) {
        end(event.decisionId(), DecisionStatus.REVERSED);
        version = sequence;
    }

    @EventSourcingHandler
    void on(SuspensionExpired event, @SequenceNumber long sequence) {
        end(event.decisionId(), DecisionStatus.EXPIRED);
        version = sequence;
    }

    @EventSourcingHandler
    void on(AppealFiled event, @SequenceNumber long sequence, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        appeals.put(event.appealId(), new Appeal(event.decisionId(), actor, AppealStatus.OPEN));
        version = sequence;
    }

    @EventSourcingHandler
    void on(AppealWithdrawn event, @SequenceNumber long sequence) {
        appeals.computeIfPresent(event.appealId(), (id, appeal) -> appeal.with(AppealStatus.WITHDRAWN));
        version = sequence;
    }

    @EventSourcingHandler
    void on(AppealUpheld event, @SequenceNumber long sequence) {
        appeals.computeIfPresent(event.appealId(), (id, appeal) -> appeal.with(AppealStatus.UPHELD));
        version = sequence;
    }

    @EventSourcingHandler
    void on(AppealOverturned event, @SequenceNumber long sequence) {
        appeals.computeIfPresent(event.appealId(), (id, appeal) -> appeal.with(AppealStatus.OVERTURNED));
        end(event.decisionId(), DecisionStatus.OVERTURNED);
        version = sequence;
    }

    @EventSourcingHandler
    void on(AppealModified event, @SequenceNumber long sequence, @MetaDataValue(Provenance.ACTOR_ID) String actor) {
        appeals.computeIfPresent(event.appealId(), (id, appeal) -> appeal.with(AppealStatus.MODIFIED));
        end(event.decisionId(), DecisionStatus.REPLACED);
        decisions.put(event.replacementDecisionId(), Decision.issued(event.replacementKind(), event.replacementTerms(),
                actor, sequence));
        version = sequence;
    }

    @EventSourcingHandler
    void on(NoteAdded event, @SequenceNumber long sequence) {
        version = sequence;
    }

    /** A decision that ends takes any open appeal against it with it: there is nothing left to rule on. */
    private void end(String decisionId, DecisionStatus status) {
        decisions.computeIfPresent(decisionId, (id, decision) -> decision.with(status));
        appeals.replaceAll((id, appeal) -> appeal.status() == AppealStatus.OPEN && appeal.decisionId().equals(decisionId)
                ? appeal.with(AppealStatus.MOOT) : appeal);
    }
}
