package dev.verdict.moderation.metrics;

import dev.verdict.contract.events.AppealFiled;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.AppealOverturned;
import dev.verdict.contract.events.AppealUpheld;
import dev.verdict.contract.events.AppealWithdrawn;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The moderation figures an operator watches, counted from the events themselves (a subscribing processor, so in the
 * command's unit of work) and recorded only once that unit of work has committed: a rejected or rolled-back command
 * counts nothing. Each instance counts what it recorded; the sum over instances is the whole.
 *
 * <ul>
 *   <li>{@code verdict.decisions} (kind, policy): decisions taken, replacements on appeal included. The policy tag is
 *   the policy id, a small catalogue, never a free text.</li>
 *   <li>{@code verdict.appeals.filed}, {@code verdict.appeals.decided} (outcome), {@code verdict.appeals.withdrawn}.</li>
 *   <li>{@code verdict.appeal.decision.time} (outcome): from the appeal's filing to its ruling, both recorded times,
 *   with buckets from an hour to the six-month window.</li>
 * </ul>
 */
@Component
@ProcessingGroup(ModerationMetrics.PROCESSING_GROUP)
public class ModerationMetrics {

    public static final String PROCESSING_GROUP = "verdict-metrics";
    private static final List<Duration> BUCKETS = List.of(Duration.ofMinutes(10), Duration.ofHours(1),
            Duration.ofHours(8), Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(14),
            Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(183));

    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;
    private final Counter filed;
    private final Counter withdrawn;

    public ModerationMetrics(MeterRegistry meters, JdbcTemplate jdbc) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.filed = Counter.builder("verdict.appeals.filed").description("appeals filed").register(meters);
        this.withdrawn = Counter.builder("verdict.appeals.withdrawn").description("appeals withdrawn by their filer")
                .register(meters);
    }

    @EventHandler
    void on(DecisionEvent event) {
        decision(event.kind(), event.terms());
    }

    @EventHandler
    void on(AppealFiled event) {
        afterCommit(filed::increment);
    }

    @EventHandler
    void on(AppealWithdrawn event) {
        afterCommit(withdrawn::increment);
    }

    @EventHandler
    void on(AppealUpheld event, EventMessage<?> message) {
        ruling(event.appealId(), "UPHELD", message.getTimestamp());
    }

    @EventHandler
    void on(AppealOverturned event, EventMessage<?> message) {
        ruling(event.appealId(), "OVERTURNED", message.getTimestamp());
    }

    @EventHandler
    void on(AppealModified event, EventMessage<?> message) {
        ruling(event.appealId(), "MODIFIED", message.getTimestamp());
        decision(event.replacementKind(), event.replacementTerms());
    }

    private void decision(DecisionKind kind, DecisionTerms terms) {
        Counter counter = Counter.builder("verdict.decisions").description("decisions taken, by kind and policy")
                .tag("kind", kind.name()).tag("policy", terms.policy().id()).register(meters);
        afterCommit(counter::increment);
    }

    private void ruling(String appealId, String outcome, Instant ruledAt) {
        Counter decided = Counter.builder("verdict.appeals.decided").description("appeals ruled on, by outcome")
                .tag("outcome", outcome).register(meters);
        Timer time = Timer.builder("verdict.appeal.decision.time")
                .description("time from an appeal's filing to its ruling")
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
                .register(meters);
        // The filing's recorded time, as the view (kept in this same transaction) has it.
        List<Timestamp> filedAt = jdbc.queryForList("SELECT filed_at FROM appeal_view WHERE appeal_id = ?::uuid",
                Timestamp.class, appealId);
        afterCommit(() -> {
            decided.increment();
            if (!filedAt.isEmpty()) {
                time.record(Duration.between(filedAt.get(0).toInstant(), ruledAt));
            }
        });
    }

    private static void afterCommit(Runnable action) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> action.run());
        } else {
            action.run();
        }
    }
}
