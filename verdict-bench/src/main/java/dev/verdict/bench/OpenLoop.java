package dev.verdict.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load at a fixed arrival rate (open loop) or at a fixed number of operations in flight (closed loop), for any
 * asynchronous operation. In the open loop the i-th operation is due at {@code start + i / rate}; one thread issues
 * each at its due time and never waits for an answer, and its latency is measured from that <em>intended</em> time,
 * so a slow answer shows up in the latencies of everything scheduled behind it (no coordinated omission). When more
 * than {@code maxInFlight} operations are outstanding the system is overloaded: further operations are not sent
 * (counted as shed) and the step does not count as sustained.
 */
final class OpenLoop {

    /** What one step measured. Latencies in nanoseconds. */
    record Result(String mode, double offered, int concurrency, double seconds, long ok, long failed, long shed,
                  Histogram latency) {

        double achieved() {
            return ok / seconds;
        }

        /** Little's law: the mean number of operations in flight. */
        double meanInFlight() {
            return (ok + failed) / seconds * latency.getMean() / 1e9;
        }

        double ms(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e6;
        }

        /** The system kept up: nothing shed, no failures, at least 95 % of the offered rate done, p99 under 1 s. */
        boolean sustained() {
            return shed == 0 && failed == 0 && ok > 0 && achieved() >= 0.95 * offered && ms(99) < 1000;
        }
    }

    private OpenLoop() {
    }

    static Result open(double rate, Duration duration, int maxInFlight, Supplier<CompletableFuture<Boolean>> op)
            throws InterruptedException {
        return open(rate, duration, maxInFlight, op, () -> false);
    }

    /** The same, ending early once {@code done} answers true. */
    static Result open(double rate, Duration duration, int maxInFlight, Supplier<CompletableFuture<Boolean>> op,
                       java.util.function.BooleanSupplier done) throws InterruptedException {
        Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(5), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger();
        long shed = 0;
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        boolean early = false;
        for (long i = 0; ; i++) {
            long intended = start + i * interval;
            if (intended >= end) {
                break;
            }
            if (done.getAsBoolean()) {
                early = true;
                break;
            }
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (inFlight.get() >= maxInFlight) {
                shed++;
                continue;
            }
            inFlight.incrementAndGet();
            issue(op, intended, recorder, ok, failed, inFlight);
        }
        awaitDrained(inFlight, System.nanoTime());
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result("open", rate, maxInFlight, early ? seconds : Math.max(seconds, duration.toNanos() / 1e9),
                ok.get(),
                failed.get(), shed, recorder.getIntervalHistogram());
    }

    /** {@code concurrency} operations always in flight: throughput at that concurrency; latency is service time. */
    static Result closed(int concurrency, Duration duration, Supplier<CompletableFuture<Boolean>> op)
            throws InterruptedException {
        return closed(concurrency, duration, op, () -> false);
    }

    /** The same, ending early once {@code done} answers true. */
    static Result closed(int concurrency, Duration duration, Supplier<CompletableFuture<Boolean>> op,
                         java.util.function.BooleanSupplier done) throws InterruptedException {
        Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(5), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int slot = 0; slot < concurrency; slot++) {
            inFlight.incrementAndGet();
            loop(op, end, done, recorder, ok, failed, inFlight);
        }
        awaitDrained(inFlight, end);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result("closed", Double.NaN, concurrency, seconds, ok.get(), failed.get(), 0,
                recorder.getIntervalHistogram());
    }

    private static void loop(Supplier<CompletableFuture<Boolean>> op, long end, java.util.function.BooleanSupplier done,
                             Recorder recorder, AtomicLong ok, AtomicLong failed, AtomicInteger inFlight) {
        long sent = System.nanoTime();
        op.get().whenComplete((success, error) -> {
            recorder.recordValue(System.nanoTime() - sent);
            (error == null && Boolean.TRUE.equals(success) ? ok : failed).incrementAndGet();
            if (System.nanoTime() < end && !done.getAsBoolean()) {
                loop(op, end, done, recorder, ok, failed, inFlight);
            } else {
                inFlight.decrementAndGet();
            }
        });
    }

    private static void issue(Supplier<CompletableFuture<Boolean>> op, long intended, Recorder recorder,
                              AtomicLong ok, AtomicLong failed, AtomicInteger inFlight) {
        CompletableFuture<Boolean> future;
        try {
            future = op.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((success, error) -> {
            recorder.recordValue(Math.max(0, System.nanoTime() - intended));
            (error == null && Boolean.TRUE.equals(success) ? ok : failed).incrementAndGet();
            inFlight.decrementAndGet();
        });
    }

    /** Operations time out on their own (HTTP 30 s); this only waits for their answers, up to a minute after
     * {@code from}. */
    private static void awaitDrained(AtomicInteger inFlight, long from) throws InterruptedException {
        long deadline = from + TimeUnit.SECONDS.toNanos(60);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}
