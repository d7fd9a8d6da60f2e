package dev.verdict.moderation.web;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds a command in time ({@code VERDICT_COMMAND_TIMEOUT_MS}): when its time is up, the thread running it is
 * interrupted. A command that has not committed by then rolls back and is answered 503 {@code command-timed-out}
 * ({@link CommandTimeouts}), nothing recorded. A command whose commit finishes anyway (the interrupt came while it was
 * committing, where JDBC does not notice interrupts) is answered as what it is, committed: the interrupt is cleared
 * and a warning logged.
 *
 * <p>In place of Axon's UnitOfWorkTimeoutInterceptor ({@code axon.timeout.enabled: false}), which behaves the same
 * (CommandTimeLimitTest passes with it too, but for the wording of its message) and starts every command with
 * {@code Thread.getStackTrace()}, to name the caller in warnings it logs: 7.4 % of moderation-service's CPU in the
 * profile of docs/PERFORMANCE.md (section 2).
 *
 * <p>A timer that fires after its command ended does nothing: the thread has moved on to other work.
 */
public final class CommandTimeLimit implements MessageHandlerInterceptor<CommandMessage<?>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandTimeLimit.class);
    private static final String RESOURCE = CommandTimeLimit.class.getName();

    private final long timeoutMs;
    private final ScheduledThreadPoolExecutor timers;

    public CommandTimeLimit(long timeoutMs) {
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("VERDICT_COMMAND_TIMEOUT_MS must be at least 1, not " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
        this.timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "command-time-limit");
            thread.setDaemon(true);
            return thread;
        });
        this.timers.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        UnitOfWork<?> root = unitOfWork.root();
        Limit limit = (Limit) root.resources().get(RESOURCE);
        if (limit == null) {
            Limit started = new Limit(Thread.currentThread(), unitOfWork.getMessage().getCommandName());
            root.resources().put(RESOURCE, started);
            root.afterCommit(u -> started.endCommitted());
            root.onRollback(u -> started.end());
            started.start();
            limit = started;
        }
        try {
            Object result = chain.proceed();
            limit.throwIfExpired(null);
            return result;
        } catch (Exception e) {
            limit.throwIfExpired(e);
            throw e;
        }
    }

    /** Timers scheduled and not yet fired or cancelled: one per command running. */
    int pendingTimers() {
        return timers.getQueue().size();
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }

    /** One command's timer; ended on the command's own thread, by its commit or its rollback. */
    private final class Limit implements Runnable {

        private final Thread thread;
        private final String command;
        private final long startedNanos = System.nanoTime();
        private ScheduledFuture<?> timer;
        private boolean ended;
        private volatile boolean expired;

        Limit(Thread thread, String command) {
            this.thread = thread;
            this.command = command;
        }

        void start() {
            timer = timers.schedule(this, timeoutMs, TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void run() {
            if (!ended) {
                expired = true;
                thread.interrupt();
            }
        }

        /** After {@code end()} the timer cannot interrupt the thread any more; an interrupt it made is cleared. */
        void end() {
            synchronized (this) {
                ended = true;
                timer.cancel(false);
            }
            if (expired) {
                Thread.interrupted();
            }
        }

        void endCommitted() {
            end();
            if (expired) {
                log.warn("{} committed {} ms after it started, beyond its limit of {} ms; answered as committed",
                        command, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), timeoutMs);
            }
        }

        void throwIfExpired(Exception failure) {
            if (expired) {
                Thread.interrupted();
                AxonTimeoutException timedOut = new AxonTimeoutException(
                        command + " ran longer than its limit of " + timeoutMs + " ms");
                if (failure != null) {
                    timedOut.addSuppressed(failure);
                }
                throw timedOut;
            }
        }
    }
}
