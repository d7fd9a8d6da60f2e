package dev.verdict.moderation.advertiser;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One advertiser and everything decided about it. Its event stream is the advertiser's history: the aggregate's
 * sequence numbers are the envelope's {@code sequence}, so one advertiser's events are totally ordered.
 *
 * <p>Command handlers decide and reject; event-sourcing handlers only assign state. Time comes in through the
 * command, the appeal window as an injected resource.
 */
@Aggregate
public class Advertiser {

    @AggregateIdentifier
    private String advertiserId;
    private long version;
    private final Map<String, Decision> decisions = new HashMap<>();
    private final Map<String, Appeal> appeals = new HashMap<>();

    private record Decision(DecisionKind kind, Instant effectiveFrom) {
    }

    private record Appeal(String decisionId, boolean open) {
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
    public long handle(IssueDecision command) {
        DecisionTerms terms = command.terms();
        if (decisions.containsKey(command.decisionId())) {
            throw new RuleViolation("decision-exists", "decision " + command.decisionId() + " already exists");
        }
        if (terms.effectiveFrom().isAfter(command.recordedAt())) {
            throw new RuleViolation("effective-from-in-future",
                    "effectiveFrom may lie in the past, not in the future: the decision is recorded now");
        }
        if (command.kind() == DecisionKind.SUSPENSION && terms.expiresAt() == null) {
            throw new RuleViolation("expiry-required", "a SUSPENSION needs expiresAt");
        }
        if (command.kind() == DecisionKind.BAN && terms.expiresAt() != null) {
            throw new RuleViolation("expiry-not-allowed", "a BAN is indefinite: use a SUSPENSION to set expiresAt");
        }
        if (terms.expiresAt() != null && !terms.expiresAt().isAfter(terms.effectiveFrom())) {
            throw new RuleViolation("invalid-expiry", "expiresAt must be after effectiveFrom");
        }
        apply(DecisionEvent.of(command.kind(), command.decisionId(), terms));
        return version;
    }

    /** @return the advertiser's new version */
    @CommandHandler
    public long handle(FileAppeal command, AppealWindow window) {
        Decision decision = decisions.get(command.decisionId());
        if (decision == null) {
            throw new RuleViolation("decision-not-found", "no decision " + command.decisionId() + " on advertiser "
                    + advertiserId);
        }
        Instant deadline = window.closesAt(decision.effectiveFrom());
        if (command.filedAt().isAfter(deadline)) {
            throw new RuleViolation("appeal-window-closed", "the appeal window of decision " + command.decisionId()
                    + " closed at " + deadline);
        }
        boolean alreadyOpen = appeals.values().stream()
                .anyMatch(appeal -> appeal.open() && appeal.decisionId().equals(command.decisionId()));
        if (alreadyOpen) {
            throw new RuleViolation("appeal-already-open", "decision " + command.decisionId()
                    + " already has an open appeal");
        }
        if (appeals.containsKey(command.appealId())) {
            throw new RuleViolation("appeal-exists", "appeal " + command.appealId() + " already exists");
        }
        apply(new AppealFiled(command.appealId(), command.decisionId(), command.statement(), command.attachments(),
                deadline));
        return version;
    }

    @EventSourcingHandler
    void on(AdvertiserRegistered event, @SequenceNumber long sequence) {
        advertiserId = event.advertiserId();
        version = sequence;
    }

    @EventSourcingHandler
    void on(DecisionEvent event, @SequenceNumber long sequence) {
        decisions.put(event.decisionId(), new Decision(event.kind(), event.terms().effectiveFrom()));
        version = sequence;
    }

    @EventSourcingHandler
    void on(AppealFiled event, @SequenceNumber long sequence) {
        appeals.put(event.appealId(), new Appeal(event.decisionId(), true));
        version = sequence;
    }
}
