package dev.verdict.moderation.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command time limit on Axon's own command bus (which runs a command on the caller's thread): a command still
 * running at its limit is interrupted and fails with AxonTimeoutException, rolled back; one that commits past its
 * limit (busy where interrupts go unnoticed, as JDBC is) is answered as committed; and no timer outlives its command.
 */
class CommandTimeLimitTest {

    private static final long LIMIT_MS = 200;

    private final CommandTimeLimit limit = new CommandTimeLimit(LIMIT_MS);
    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();

    CommandTimeLimitTest() {
        bus.registerHandlerInterceptor(limit);
    }

    @AfterEach
    void clearInterrupt() {
        limit.close();
        Thread.interrupted();
    }

    @Test
    void aCommandStillRunningAtItsLimitIsInterruptedAndRolledBack() {
        AtomicBoolean rolledBack = new AtomicBoolean();
        bus.subscribe("slow", command -> {
            CurrentUnitOfWork.get().onRollback(u -> rolledBack.set(true));
            // The command's own slow work (not a wait for anything): the limit must cut it short at 200 ms.
            Thread.sleep(Duration.ofSeconds(30).toMillis());
            return "finished";
        });

        long started = System.nanoTime();
        CommandResultMessage<?> result = send("slow");

        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOf(AxonTimeoutException.class)
                .hasMessageContaining("slow").hasMessageContaining("200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(rolledBack).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is not left on the thread").isFalse();
    }

    @Test
    void aCommandThatCommitsPastItsLimitIsAnsweredAsCommitted() {
        AtomicBoolean committed = new AtomicBoolean();
        bus.subscribe("commits-late", command -> {
            CurrentUnitOfWork.get().onPrepareCommit(u -> busyFor(LIMIT_MS * 3));
            CurrentUnitOfWork.get().afterCommit(u -> committed.set(true));
            return "recorded";
        });

        CommandResultMessage<?> result = send("commits-late");

        assertThat(result.isExceptional()).as("%s", result.optionalExceptionResult()).isFalse();
        assertThat(result.getPayload()).isEqualTo("recorded");
        assertThat(committed).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is not left on the thread").isFalse();
    }

    @Test
    void noTimerOutlivesItsCommand() {
        bus.subscribe("quick", command -> {
            assertThat(limit.pendingTimers()).as("this command's own timer").isEqualTo(1);
            return "done";
        });
        for (int i = 0; i < 100; i++) {
            assertThat(send("quick").getPayload()).isEqualTo("done");
        }
        // Every timer was cancelled and removed when its command ended, so none can interrupt this thread later.
        assertThat(limit.pendingTimers()).isZero();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aLimitMustBePositive() {
        assertThatThrownBy(() -> new CommandTimeLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private CommandResultMessage<?> send(String name) {
        FutureCallback<Object, Object> callback = new FutureCallback<>();
        bus.dispatch(new GenericCommandMessage<>(new GenericMessage<>("payload"), name), callback);
        return callback.getResult();
    }

    /** Busy without ever looking at the interrupt flag, as a JDBC call waiting on its socket does. */
    private static void busyFor(long millis) {
        long until = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        long spins = 0;
        while (System.nanoTime() < until) {
            spins++;
        }
        assertThat(spins).isPositive();
    }
}
