package dev.verdict.moderation.advertiser;

import static dev.verdict.moderation.advertiser.RuleViolations.violation;
import static dev.verdict.moderation.advertiser.AdvertiserTest.terms;

import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AdvertiserBanned;
import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AdvertiserSuspended;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.AppealOverturned;
import dev.verdict.contract.events.AppealUpheld;
import dev.verdict.contract.events.AppealWithdrawn;
import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionReversed;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Evidence;
import dev.verdict.contract.events.EvidenceAttached;
import dev.verdict.contract.events.NoteAdded;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.SuspensionExpired;
import dev.verdict.moderation.provenance.Provenance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reversal, expiry, evidence, notes, withdrawal and appeal rulings: every rule and every rejection. */
class AppealRulingTest {

    private static final String ADVERTISER = "kaspersky-lab";
    private static final String DECISION = "8ea31715-bbd8-4835-840a-46ab073e5616";
    private static final String APPEAL = "566e5e98-1eaa-449a-9148-1ae435cba34f";
    private static final String REPLACEMENT = "0c7dbb7c-52e7-4b8f-a4d6-3f7e2a9b1c55";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant TWO_DAYS_AGO = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant IN_A_WEEK = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant DEADLINE = Instant.parse("2027-05-20T10:00:00Z");

    private AggregateTestFixture<Advertiser> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Advertiser.class);
        fixture.registerInjectableResource(AppealWindow.standard());
        fixture.registerInjectableResource(new IssuedTerms(fixture.getEventStore()));
    }

    private static MetaData by(String actor) {
        return MetaData.from(Map.of(Provenance.ACTOR_ID, actor, Provenance.ACTOR_TYPE, "HUMAN"));
    }

    /** Events as stored, with the actor who caused them (the four-eyes rule reads it). */
    private static List<Object> history(Object... payloadsAndActors) {
        List<Object> events = new java.util.ArrayList<>();
        for (int i = 0; i < payloadsAndActors.length; i += 2) {
            events.add(new GenericDomainEventMessage<>("Advertiser", ADVERTISER, i / 2, payloadsAndActors[i],
                    by((String) payloadsAndActors[i + 1])));
        }
        return events;
    }

    private static final AdvertiserRegistered REGISTERED =
            new AdvertiserRegistered(ADVERTISER, "Kaspersky Lab", "RU", AccountType.BUSINESS);
    private static final AdvertiserBanned BANNED = new AdvertiserBanned(DECISION, terms(TWO_DAYS_AGO, null));
    private static final AppealFiled FILED = new AppealFiled(APPEAL, DECISION, "no rule named", List.of(), DEADLINE);

    private static List<Object> bannedAndAppealed() {
        return history(REGISTERED, "moderator1", BANNED, "moderator1", FILED, "kaspersky");
    }

    private static DecideAppeal ruling(AppealOutcome outcome, DecideAppeal.Replacement replacement) {
        return new DecideAppeal(ADVERTISER, null, APPEAL, outcome, "the clause was named and applies", replacement,
                NOW);
    }


    @Test
    void anotherReviewerCanUpholdTheDecision() {
        fixture.given(bannedAndAppealed())
                .when(ruling(AppealOutcome.UPHELD, null), by("reviewer1"))
                .expectEvents(new AppealUpheld(APPEAL, DECISION, "the clause was named and applies"));
    }

    @Test
    void whoeverTookTheDecisionCannotRuleOnItsAppeal() {
        fixture.given(bannedAndAppealed())
                .when(ruling(AppealOutcome.UPHELD, null), by("moderator1"))
                .expectNoEvents()
                .expectException(violation("four-eyes-violation"));
    }

    @Test
    void aSystemCannotRuleOnAnAppeal() {
        fixture.given(bannedAndAppealed())
                .when(ruling(AppealOutcome.UPHELD, null), MetaData.from(Map.of(Provenance.ACTOR_ID, "robot",
                        Provenance.ACTOR_TYPE, "SYSTEM")))
                .expectNoEvents()
                .expectException(violation("reviewer-not-a-person"));
    }

    @Test
    void overturningReversesTheDecisionSoItCanNoLongerBeReversed() {
        fixture.given(bannedAndAppealed())
                .when(ruling(AppealOutcome.OVERTURNED, null), by("reviewer1"))
                .expectEvents(new AppealOverturned(APPEAL, DECISION, "the clause was named and applies"));
        fixture.given(history(REGISTERED, "moderator1", BANNED, "moderator1", FILED, "kaspersky",
                        new AppealOverturned(APPEAL, DECISION, "r"), "reviewer1"))
                .when(new ReverseDecision(ADVERTISER, null, DECISION, "again"), by("moderator2"))
                .expectNoEvents()
                .expectException(violation("decision-not-in-effect"));
    }

    @Test
    void modifyingReplacesTheDecisionWithANarrowerOneThatTakesEffectNow() {
        var replacement = new DecideAppeal.Replacement(REPLACEMENT, DecisionKind.RESTRICTION,
                List.of(Scope.ADVERTISING), List.of("WORLDWIDE"), null, null);
        DecisionTerms original = BANNED.terms();
        DecisionTerms narrower = new DecisionTerms(List.of(Scope.ADVERTISING), original.policy(), original.ground(),
                null, original.category(), original.statement(), List.of("WORLDWIDE"), false,
                AutomatedDecision.NOT_AUTOMATED, original.evidence(), NOW, null, null, original.source());
        fixture.given(bannedAndAppealed())
                .when(ruling(AppealOutcome.MODIFIED, replacement), by("lead1"))
                .expectEvents(new AppealModified(APPEAL, DECISION, "the clause was named and applies", REPLACEMENT,
                        DecisionKind.RESTRICTION, narrower));
    }

    /**
     * A replacement is a decision like any other: it can be appealed and narrowed again. Its terms (kept from the
     * original, with the first ruling's statement) are read back from the ruling that issued it, not from the ban.
     */
    @Test
    void aReplacementCanItselfBeModifiedOnAppeal() {
        String secondAppeal = "b1f9a0de-7c1e-4d55-9f0e-2c8e6a7d3b10";
        String warning = "d0c6b2aa-3a57-4b4f-8d2e-5e1c9f7a2b33";
        DecisionTerms original = BANNED.terms();
        DecisionTerms restricted = new DecisionTerms(List.of(Scope.ADVERTISING), original.policy(), original.ground(),
                null, original.category(), "ads only, as the ruling explains", List.of("WORLDWIDE"), false,
                AutomatedDecision.NOT_AUTOMATED, original.evidence(), TWO_DAYS_AGO, null, null, original.source());
        var toWarning = new DecideAppeal.Replacement(warning, DecisionKind.WARNING, List.of(Scope.ADVERTISING),
                List.of("DE"), null, null);
        DecisionTerms warned = new DecisionTerms(List.of(Scope.ADVERTISING), original.policy(), original.ground(),
                null, original.category(), "ads only, as the ruling explains", List.of("DE"), false,
                AutomatedDecision.NOT_AUTOMATED, original.evidence(), NOW, null, null, original.source());
        fixture.given(history(REGISTERED, "moderator1", BANNED, "moderator1", FILED, "kaspersky",
                        new AppealModified(APPEAL, DECISION, "r", REPLACEMENT, DecisionKind.RESTRICTION, restricted),
                        "lead1",
                        new AppealFiled(secondAppeal, REPLACEMENT, "still too wide", List.of(), DEADLINE), "kaspersky"))
                .when(new DecideAppeal(ADVERTISER, null, secondAppeal, AppealOutcome.MODIFIED, "Germany only",
                        toWarning, NOW), by("reviewer2"))
                .expectEvents(new AppealModified(secondAppeal, REPLACEMENT, "Germany only", warning,
                        DecisionKind.WARNING, warned));
    }

    @Test
    void aModificationThatIsNotNarrowerIsRefused() {
        var same = new DecideAppeal.Replacement(REPLACEMENT, DecisionKind.BAN, List.of(Scope.ADVERTISING),
                List.of("WORLDWIDE"), null, null);
        var wider = new DecideAppeal.Replacement(REPLACEMENT, DecisionKind.WARNING,
                List.of(Scope.ADVERTISING, Scope.ORGANIC), List.of("WORLDWIDE"), null, null);
        fixture.given(bannedAndAppealed())
                .when(ruling(AppealOutcome.MODIFIED, same), by("reviewer1"))
                .expectNoEvents()
                .expectException(violation("replacement-not-narrower"));
        fixture.given(bannedAndAppealed())
                .when(ruling(AppealOutcome.MODIFIED, wider), by("reviewer1"))
                .expectNoEvents()
                .expectException(violation("replacement-not-narrower"));
    }

    @Test
    void aModificationNamesItsReplacement() {
        fixture.given(bannedAndAppealed())
                .when(ruling(AppealOutcome.MODIFIED, null), by("reviewer1"))
                .expectNoEvents()
                .expectException(violation("replacement-required"));
    }

    @Test
    void anAppealIsRuledOnOnce() {
        fixture.given(history(REGISTERED, "moderator1", BANNED, "moderator1", FILED, "kaspersky",
                        new AppealUpheld(APPEAL, DECISION, "r"), "reviewer1"))
                .when(ruling(AppealOutcome.OVERTURNED, null), by("lead1"))
                .expectNoEvents()
                .expectException(violation("appeal-not-open"));
    }

    @Test
    void aDecisionIsAppealedOnceItsAppealWasRuledOn() {
        fixture.given(history(REGISTERED, "moderator1", BANNED, "moderator1", FILED, "kaspersky",
                        new AppealUpheld(APPEAL, DECISION, "r"), "reviewer1"))
                .when(new FileAppeal(ADVERTISER, null, REPLACEMENT, DECISION, "again", List.of(), NOW),
                        by("kaspersky"))
                .expectNoEvents()
                .expectException(violation("appeal-already-decided"));
    }

    @Test
    void theFilerCanWithdrawAnOpenAppealAndThenAppealAgain() {
        fixture.given(bannedAndAppealed())
                .when(new WithdrawAppeal(ADVERTISER, null, APPEAL, true), by("kaspersky"))
                .expectEvents(new AppealWithdrawn(APPEAL, DECISION));
        fixture.given(history(REGISTERED, "moderator1", BANNED, "moderator1", FILED, "kaspersky",
                        new AppealWithdrawn(APPEAL, DECISION), "kaspersky"))
                .when(new FileAppeal(ADVERTISER, null, REPLACEMENT, DECISION, "second try", List.of(), NOW),
                        by("kaspersky"))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void onlyTheFilerOrTheAdvertiserCanWithdraw() {
        fixture.given(bannedAndAppealed())
                .when(new WithdrawAppeal(ADVERTISER, null, APPEAL, false), by("moderator2"))
                .expectNoEvents()
                .expectException(violation("not-appeal-filer"));
    }

    @Test
    void aReversalEndsTheDecisionAndMootsItsOpenAppeal() {
        fixture.given(bannedAndAppealed())
                .when(new ReverseDecision(ADVERTISER, null, DECISION, "the evidence was about another company"),
                        by("moderator2"))
                .expectEvents(new DecisionReversed(DECISION, "the evidence was about another company"));
        fixture.given(history(REGISTERED, "moderator1", BANNED, "moderator1", FILED, "kaspersky",
                        new DecisionReversed(DECISION, "wrong company"), "moderator2"))
                .when(ruling(AppealOutcome.UPHELD, null), by("reviewer1"))
                .expectNoEvents()
                .expectException(violation("appeal-not-open"));
    }

    @Test
    void onlyADecisionInEffectCanBeReversedOrAppealed() {
        List<Object> reversed = history(REGISTERED, "moderator1", BANNED, "moderator1",
                new DecisionReversed(DECISION, "wrong company"), "moderator2");
        fixture.given(reversed)
                .when(new ReverseDecision(ADVERTISER, null, DECISION, "twice"), by("moderator2"))
                .expectException(violation("decision-not-in-effect"));
        fixture.given(reversed)
                .when(new FileAppeal(ADVERTISER, null, APPEAL, DECISION, "x", List.of(), NOW), by("kaspersky"))
                .expectException(violation("decision-not-in-effect"));
    }

    @Test
    void aSuspensionSchedulesItsOwnEnd() {
        DecisionTerms suspension = terms(TWO_DAYS_AGO, IN_A_WEEK);
        fixture.given(history(REGISTERED, "moderator1"))
                .when(new IssueDecision(ADVERTISER, null, DECISION, DecisionKind.SUSPENSION, suspension, NOW),
                        by("moderator1"))
                .expectEvents(new AdvertiserSuspended(DECISION, suspension))
                .expectScheduledDeadlineWithName(IN_A_WEEK, Advertiser.SUSPENSION_EXPIRY);
    }

    @Test
    void theExpiryDeadlineRecordsSuspensionExpiredUnlessTheSuspensionEndedBefore() {
        DecisionTerms suspension = terms(TWO_DAYS_AGO, IN_A_WEEK);
        fixture.givenCurrentTime(NOW)
                .andGiven(history(REGISTERED, "moderator1"))
                .andGivenCommands(new IssueDecision(ADVERTISER, null, DECISION, DecisionKind.SUSPENSION, suspension,
                        NOW))
                .whenTimeAdvancesTo(IN_A_WEEK.plus(Duration.ofSeconds(1)))
                .expectEvents(new SuspensionExpired(DECISION, IN_A_WEEK));
        fixture.givenCurrentTime(NOW)
                .andGiven(history(REGISTERED, "moderator1"))
                .andGivenCommands(new IssueDecision(ADVERTISER, null, DECISION, DecisionKind.SUSPENSION, suspension,
                        NOW), new ReverseDecision(ADVERTISER, null, DECISION, "lifted early"))
                .whenTimeAdvancesTo(IN_A_WEEK.plus(Duration.ofSeconds(1)))
                .expectNoEvents();
    }

    @Test
    void evidenceAndNotesAttachToAnExistingDecision() {
        List<Evidence> more = List.of(new Evidence("urn:evidence:2", "c".repeat(64), "application/pdf", "the letter"));
        fixture.given(history(REGISTERED, "moderator1", BANNED, "moderator1"))
                .when(new AttachEvidence(ADVERTISER, null, DECISION, more), by("moderator2"))
                .expectEvents(new EvidenceAttached(DECISION, more));
        fixture.given(history(REGISTERED, "moderator1", BANNED, "moderator1"))
                .when(new AddNote(ADVERTISER, null, APPEAL, DECISION, "called the legal team"), by("moderator2"))
                .expectEvents(new NoteAdded(APPEAL, DECISION, "called the legal team"));
        fixture.given(history(REGISTERED, "moderator1"))
                .when(new AttachEvidence(ADVERTISER, null, DECISION, more), by("moderator2"))
                .expectException(violation("decision-not-found"));
    }
}
