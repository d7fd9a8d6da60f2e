package dev.verdict.moderation.advertiser;

import static dev.verdict.moderation.advertiser.RuleViolations.violation;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AdvertiserBanned;
import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AdvertiserRestricted;
import dev.verdict.contract.events.AdvertiserSuspended;
import dev.verdict.contract.events.AdvertiserWarned;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Evidence;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.InformationSource;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.StatementCategory;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Given events, when a command, then events or a rejection: every rule of the advertiser aggregate. */
public class AdvertiserTest {

    private static final String ADVERTISER = "kaspersky-lab";
    private static final String DECISION = "8ea31715-bbd8-4835-840a-46ab073e5616";
    private static final String APPEAL = "566e5e98-1eaa-449a-9148-1ae435cba34f";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant TWO_DAYS_AGO = Instant.parse("2026-11-20T10:00:00Z");
    private static final AdvertiserRegistered REGISTERED =
            new AdvertiserRegistered(ADVERTISER, "Kaspersky Lab", "RU", AccountType.BUSINESS);

    private AggregateTestFixture<Advertiser> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Advertiser.class);
        fixture.registerInjectableResource(AppealWindow.standard());
        fixture.registerInjectableResource(new IssuedTerms(fixture.getEventStore()));
    }

    public static DecisionTerms terms(Instant effectiveFrom, Instant expiresAt) {
        return new DecisionTerms(List.of(Scope.ADVERTISING),
                new PolicyReference("ads/unacceptable-business-practices", "2018-01", "4.2",
                        "Ads must not come from advertisers whose business model conflicts..."),
                Ground.INCOMPATIBLE_CONTENT, null, StatementCategory.STATEMENT_CATEGORY_OTHER_VIOLATION_TC,
                "Your account may no longer advertise.", List.of("WORLDWIDE"), false,
                AutomatedDecision.NOT_AUTOMATED,
                List.of(new Evidence("urn:evidence:1", "a".repeat(64), "text/plain", "the notice")),
                effectiveFrom, expiresAt, null,
                new InformationSource(InformationSource.Type.SOURCE_TYPE_OTHER_NOTIFICATION, "a government notice"));
    }

    private static IssueDecision ban(Instant effectiveFrom) {
        return new IssueDecision(ADVERTISER, null, DECISION, DecisionKind.BAN, terms(effectiveFrom, null), NOW);
    }

    private static FileAppeal appeal(String appealId, Instant filedAt) {
        return new FileAppeal(ADVERTISER, null, appealId, DECISION, "No rule and no evidence were named.", List.of(),
                filedAt);
    }


    @Test
    void registeringAnAdvertiserRecordsItsRegistration() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAdvertiser(ADVERTISER, "Kaspersky Lab", "RU", AccountType.BUSINESS))
                .expectSuccessfulHandlerExecution()
                .expectEvents(REGISTERED);
    }

    @Test
    void anAdsOnlyBanIsRecordedWithItsPolicyClauseAndEvidenceAndReturnsTheNewVersion() {
        fixture.given(REGISTERED)
                .when(ban(TWO_DAYS_AGO))
                .expectEvents(new AdvertiserBanned(DECISION, terms(TWO_DAYS_AGO, null)))
                .expectResultMessagePayload(1L);
    }

    @ParameterizedTest
    @EnumSource(DecisionKind.class)
    void eachKindOfDecisionIsItsOwnEventType(DecisionKind kind) {
        Instant expiresAt = kind == DecisionKind.BAN ? null : NOW.plusSeconds(86_400);
        DecisionTerms terms = terms(TWO_DAYS_AGO, expiresAt);
        Object expected = switch (kind) {
            case BAN -> new AdvertiserBanned(DECISION, terms);
            case SUSPENSION -> new AdvertiserSuspended(DECISION, terms);
            case RESTRICTION -> new AdvertiserRestricted(DECISION, terms);
            case WARNING -> new AdvertiserWarned(DECISION, terms);
        };
        fixture.given(REGISTERED)
                .when(new IssueDecision(ADVERTISER, null, DECISION, kind, terms, NOW))
                .expectEvents(expected);
    }

    @Test
    void aDecisionCannotTakeEffectAfterItIsRecorded() {
        fixture.given(REGISTERED)
                .when(ban(NOW.plusSeconds(1)))
                .expectNoEvents()
                .expectException(violation("effective-from-in-future"));
    }

    @Test
    void aSuspensionNeedsAnExpiry() {
        fixture.given(REGISTERED)
                .when(new IssueDecision(ADVERTISER, null, DECISION, DecisionKind.SUSPENSION, terms(NOW, null), NOW))
                .expectNoEvents()
                .expectException(violation("expiry-required"));
    }

    @Test
    void aBanIsIndefinite() {
        fixture.given(REGISTERED)
                .when(new IssueDecision(ADVERTISER, null, DECISION, DecisionKind.BAN,
                        terms(NOW, NOW.plusSeconds(60)), NOW))
                .expectNoEvents()
                .expectException(violation("expiry-not-allowed"));
    }

    @Test
    void anExpiryMustFollowTheStartOfTheDecision() {
        fixture.given(REGISTERED)
                .when(new IssueDecision(ADVERTISER, null, DECISION, DecisionKind.SUSPENSION,
                        terms(TWO_DAYS_AGO, TWO_DAYS_AGO), NOW))
                .expectNoEvents()
                .expectException(violation("invalid-expiry"));
    }

    @Test
    void aDecisionIdIsNeverReused() {
        fixture.given(REGISTERED, new AdvertiserBanned(DECISION, terms(TWO_DAYS_AGO, null)))
                .when(ban(TWO_DAYS_AGO))
                .expectNoEvents()
                .expectException(violation("decision-exists"));
    }

    @Test
    void theAdvertiserCanAppealWithinTheWindowAndLearnsItsDeadline() {
        fixture.given(REGISTERED, new AdvertiserBanned(DECISION, terms(TWO_DAYS_AGO, null)))
                .when(appeal(APPEAL, NOW))
                .expectEvents(new AppealFiled(APPEAL, DECISION, "No rule and no evidence were named.", List.of(),
                        Instant.parse("2027-05-20T10:00:00Z")))
                .expectResultMessagePayload(2L);
    }

    @Test
    void theLastInstantOfTheWindowIsStillInside() {
        fixture.given(REGISTERED, new AdvertiserBanned(DECISION, terms(TWO_DAYS_AGO, null)))
                .when(appeal(APPEAL, Instant.parse("2027-05-20T10:00:00Z")))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void anAppealAfterTheWindowIsRejected() {
        fixture.given(REGISTERED, new AdvertiserBanned(DECISION, terms(TWO_DAYS_AGO, null)))
                .when(appeal(APPEAL, Instant.parse("2027-05-20T10:00:00.001Z")))
                .expectNoEvents()
                .expectException(violation("appeal-window-closed"));
    }

    @Test
    void aLongerConfiguredWindowIsHonoured() {
        fixture = new AggregateTestFixture<>(Advertiser.class);
        fixture.registerInjectableResource(new AppealWindow(Period.ofMonths(12)));
        fixture.registerInjectableResource(new IssuedTerms(fixture.getEventStore()));
        fixture.given(REGISTERED, new AdvertiserBanned(DECISION, terms(TWO_DAYS_AGO, null)))
                .when(appeal(APPEAL, Instant.parse("2027-11-01T00:00:00Z")))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aDecisionHasAtMostOneOpenAppeal() {
        fixture.given(REGISTERED, new AdvertiserBanned(DECISION, terms(TWO_DAYS_AGO, null)),
                        new AppealFiled(APPEAL, DECISION, "first", List.of(), Instant.parse("2027-05-20T10:00:00Z")))
                .when(appeal("0c7dbb7c-52e7-4b8f-a4d6-3f7e2a9b1c55", NOW))
                .expectNoEvents()
                .expectException(violation("appeal-already-open"));
    }

    @Test
    void onlyAnExistingDecisionCanBeAppealed() {
        fixture.given(REGISTERED)
                .when(appeal(APPEAL, NOW))
                .expectNoEvents()
                .expectException(violation("decision-not-found"));
    }

    @Test
    void theAppealWindowIsNeverShorterThanSixMonths() {
        assertThatThrownBy(() -> new AppealWindow(Period.ofMonths(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppealWindow(Period.ofDays(180)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
