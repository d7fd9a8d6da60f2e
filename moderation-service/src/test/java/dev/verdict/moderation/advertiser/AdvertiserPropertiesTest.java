package dev.verdict.moderation.advertiser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.contract.ChainVerifier;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.AppealOverturned;
import dev.verdict.contract.events.AppealUpheld;
import dev.verdict.contract.events.AppealWithdrawn;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionReversed;
import dev.verdict.moderation.provenance.ChainTips;
import dev.verdict.moderation.provenance.EnvelopeFactory;
import dev.verdict.moderation.provenance.HashChainInterceptor;
import dev.verdict.moderation.provenance.Provenance;
import dev.verdict.moderation.provenance.ProvenanceCorrelation;
import dev.verdict.moderation.provenance.ServiceIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Random command sequences against the real aggregate (Axon command bus, event sourcing, the hash chain), checked
 * against a small independent model: every command is accepted exactly when the model says so, and after any
 * sequence the stored events fold to the model's state, no decision ever has two open appeals, every decision names
 * a policy clause with its text, and the chain verifies.
 */
class AdvertiserPropertiesTest {

    private static final Instant NOW = Instant.now();
    private static final List<String> MODERATORS = List.of("moderator1", "moderator2", "lead1");
    private static final List<String> REVIEWERS = List.of("reviewer1", "lead1");
    private static final Configuration AXON = axon();

    private static Configuration axon() {
        Configuration config = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(Advertiser.class)
                .configureSerializer(c -> JacksonSerializer.defaultSerializer())
                .configureEventSerializer(c -> JacksonSerializer.builder().objectMapper(EventJson.mapper().copy())
                        .build())
                .registerComponent(AppealWindow.class, c -> AppealWindow.standard())
                .registerComponent(IssuedTerms.class, c -> new IssuedTerms(c.eventStore()))
                .configureCorrelationDataProviders(c -> List.of(ProvenanceCorrelation.provider(
                        new ServiceIdentity("moderation-service", "test", "property-test"))))
                .start();
        // The chain tips as the service keeps them, so the property also covers sealing from a remembered tip.
        config.eventStore().registerDispatchInterceptor(new HashChainInterceptor(config.eventStore(),
                ChainTips.onHeap(100)));
        return config;
    }

    /** One step of a random sequence; indices pick among the ids that exist when the step runs. */
    sealed interface Step permits Issue, Reverse, File, Withdraw, Rule {
    }

    record Issue(DecisionKind kind, String decider) implements Step {
    }

    record Reverse(int decision, String moderator) implements Step {
    }

    record File(int decision, String filer) implements Step {
    }

    record Withdraw(int appeal, String actor, boolean byAdvertiser) implements Step {
    }

    record Rule(int appeal, String reviewer, boolean overturn) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 5);
        Arbitrary<Step> issue = Combinators.combine(
                Arbitraries.of(DecisionKind.BAN, DecisionKind.RESTRICTION, DecisionKind.WARNING),
                Arbitraries.of(MODERATORS)).as(Issue::new);
        Arbitrary<Step> reverse = Combinators.combine(index, Arbitraries.of(MODERATORS)).as(Reverse::new);
        Arbitrary<Step> file = Combinators.combine(index, Arbitraries.of("kaspersky", "moderator1", "moderator2"))
                .as(File::new);
        Arbitrary<Step> withdraw = Combinators.combine(index, Arbitraries.of("kaspersky", "moderator1", "moderator2"),
                Arbitraries.of(true, false)).as(Withdraw::new);
        Arbitrary<Step> rule = Combinators.combine(index, Arbitraries.of(REVIEWERS), Arbitraries.of(true, false))
                .as(Rule::new);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, issue), net.jqwik.api.Tuple.of(1, reverse),
                        net.jqwik.api.Tuple.of(3, file), net.jqwik.api.Tuple.of(1, withdraw),
                        net.jqwik.api.Tuple.of(2, rule))
                .list().ofMinSize(1).ofMaxSize(25);
    }

    /** The independent model: what the rules of PRODUCT.md say each command does. */
    private static final class Model {
        final List<String> decisionIds = new ArrayList<>();
        final Map<String, String> decisionStatus = new HashMap<>();
        final Map<String, String> decider = new HashMap<>();
        final List<String> appealIds = new ArrayList<>();
        final Map<String, String> appealStatus = new HashMap<>();
        final Map<String, String> appealDecision = new HashMap<>();
        final Map<String, String> filer = new HashMap<>();

        boolean openAppealOn(String decisionId) {
            return appealIds.stream().anyMatch(a -> appealDecision.get(a).equals(decisionId)
                    && appealStatus.get(a).equals("OPEN"));
        }

        boolean upheldAppealOn(String decisionId) {
            return appealIds.stream().anyMatch(a -> appealDecision.get(a).equals(decisionId)
                    && appealStatus.get(a).equals("UPHELD"));
        }

        void end(String decisionId, String status) {
            decisionStatus.put(decisionId, status);
            appealIds.stream().filter(a -> appealDecision.get(a).equals(decisionId)
                    && appealStatus.get(a).equals("OPEN")).forEach(a -> appealStatus.put(a, "MOOT"));
        }
    }

    private static String pick(List<String> ids, int index) {
        return ids.isEmpty() ? UUID.randomUUID().toString() : ids.get(index % ids.size());
    }

    @Property(tries = 150)
    void randomCommandSequencesKeepEveryInvariant(@ForAll("sequences") List<Step> steps) {
        CommandGateway gateway = AXON.commandGateway();
        String advertiser = "prop-" + UUID.randomUUID();
        send(gateway, new RegisterAdvertiser(advertiser, "Prop Ltd", "DE", AccountType.BUSINESS), "moderator1");
        Model model = new Model();
        for (Step step : steps) {
            apply(step, gateway, advertiser, model);
        }
        checkStoredEvents(advertiser, model);
    }

    /** Runs one step and checks it was accepted exactly when the model says so; then advances the model. */
    private static void apply(Step step, CommandGateway gateway, String advertiser, Model model) {
        if (step instanceof Issue issue) {
            String id = UUID.randomUUID().toString();
            assertThat(send(gateway, new IssueDecision(advertiser, null, id, issue.kind(),
                    AdvertiserTest.terms(NOW.minusSeconds(60), null), NOW), issue.decider())).isTrue();
            model.decisionIds.add(id);
            model.decisionStatus.put(id, "IN_EFFECT");
            model.decider.put(id, issue.decider());
        } else if (step instanceof Reverse reverse) {
            String id = pick(model.decisionIds, reverse.decision());
            boolean expected = "IN_EFFECT".equals(model.decisionStatus.get(id));
            assertThat(send(gateway, new ReverseDecision(advertiser, null, id, "reason"), reverse.moderator()))
                    .as("reverse %s", id).isEqualTo(expected);
            if (expected) {
                model.end(id, "REVERSED");
            }
        } else if (step instanceof File file) {
            String decision = pick(model.decisionIds, file.decision());
            String id = UUID.randomUUID().toString();
            boolean expected = "IN_EFFECT".equals(model.decisionStatus.get(decision)) && !model.openAppealOn(decision)
                    && !model.upheldAppealOn(decision);
            assertThat(send(gateway, new FileAppeal(advertiser, null, id, decision, "appeal", List.of(), NOW),
                    file.filer())).as("file on %s", decision).isEqualTo(expected);
            if (expected) {
                model.appealIds.add(id);
                model.appealStatus.put(id, "OPEN");
                model.appealDecision.put(id, decision);
                model.filer.put(id, file.filer());
            }
        } else if (step instanceof Withdraw withdraw) {
            String id = pick(model.appealIds, withdraw.appeal());
            boolean expected = "OPEN".equals(model.appealStatus.get(id))
                    && (withdraw.byAdvertiser() || withdraw.actor().equals(model.filer.get(id)));
            assertThat(send(gateway, new WithdrawAppeal(advertiser, null, id, withdraw.byAdvertiser()),
                    withdraw.actor())).as("withdraw %s", id).isEqualTo(expected);
            if (expected) {
                model.appealStatus.put(id, "WITHDRAWN");
            }
        } else if (step instanceof Rule rule) {
            String id = pick(model.appealIds, rule.appeal());
            String decision = model.appealDecision.get(id);
            boolean expected = "OPEN".equals(model.appealStatus.get(id))
                    && "IN_EFFECT".equals(model.decisionStatus.get(decision))
                    && !rule.reviewer().equals(model.decider.get(decision));
            AppealOutcome outcome = rule.overturn() ? AppealOutcome.OVERTURNED : AppealOutcome.UPHELD;
            assertThat(send(gateway, new DecideAppeal(advertiser, null, id, outcome, "rationale", null, NOW),
                    rule.reviewer())).as("rule on %s", id).isEqualTo(expected);
            if (expected) {
                model.appealStatus.put(id, outcome.name());
                if (rule.overturn()) {
                    model.end(decision, "OVERTURNED");
                }
            }
        }
    }

    /** Folds the stored events independently and compares with the model; checks the invariants on the way. */
    private static void checkStoredEvents(String advertiser, Model model) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        AXON.eventStore().readEvents(advertiser).forEachRemaining(events::add);
        Map<String, String> decisions = new HashMap<>();
        Map<String, String> appeals = new HashMap<>();
        Map<String, String> appealDecision = new HashMap<>();
        ChainVerifier chain = new ChainVerifier();
        for (DomainEventMessage<?> event : events) {
            chain.accept(EnvelopeFactory.tree(EnvelopeFactory.published(event,
                    EventJson.mapper().valueToTree(event.getPayload()))));
            Object payload = event.getPayload();
            if (payload instanceof DecisionEvent decision) {
                assertThat(decision.terms().policy().clause()).isNotBlank();
                assertThat(decision.terms().policy().clauseText()).isNotBlank();
                decisions.put(decision.decisionId(), "IN_EFFECT");
            } else if (payload instanceof DecisionReversed reversed) {
                endFold(decisions, appeals, appealDecision, reversed.decisionId(), "REVERSED");
            } else if (payload instanceof AppealFiled filed) {
                appeals.put(filed.appealId(), "OPEN");
                appealDecision.put(filed.appealId(), filed.decisionId());
            } else if (payload instanceof AppealWithdrawn withdrawn) {
                appeals.put(withdrawn.appealId(), "WITHDRAWN");
            } else if (payload instanceof AppealUpheld upheld) {
                appeals.put(upheld.appealId(), "UPHELD");
            } else if (payload instanceof AppealOverturned overturned) {
                appeals.put(overturned.appealId(), "OVERTURNED");
                endFold(decisions, appeals, appealDecision, overturned.decisionId(), "OVERTURNED");
            }
            Map<String, Long> openPerDecision = new HashMap<>();
            appeals.forEach((appeal, status) -> {
                if (status.equals("OPEN")) {
                    openPerDecision.merge(appealDecision.get(appeal), 1L, Long::sum);
                }
            });
            assertThat(openPerDecision.values()).allMatch(open -> open <= 1);
        }
        assertThat(chain.complete(events.size())).as("chain broken at %s", chain.firstBrokenSequence()).isTrue();
        assertThat(decisions).isEqualTo(model.decisionStatus);
        assertThat(appeals).isEqualTo(model.appealStatus);
    }

    private static void endFold(Map<String, String> decisions, Map<String, String> appeals,
                                Map<String, String> appealDecision, String decisionId, String status) {
        decisions.put(decisionId, status);
        appeals.replaceAll((appeal, appealStatus) -> appealStatus.equals("OPEN")
                && appealDecision.get(appeal).equals(decisionId) ? "MOOT" : appealStatus);
    }

    /** Sends a command as {@code actor}; true when it was accepted, false when a rule rejected it. */
    private static boolean send(CommandGateway gateway, Object command, String actor) {
        try {
            gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).withMetaData(MetaData.from(Map.of(
                    Provenance.ACTOR_ID, actor, Provenance.ACTOR_TYPE, "HUMAN",
                    Provenance.ACTOR_ROLES, List.of("MODERATOR")))));
            return true;
        } catch (RuleViolation e) {
            return false;
        }
    }
}
