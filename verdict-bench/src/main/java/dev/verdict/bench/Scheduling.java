package dev.verdict.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's HTTP threads (Tomcat's {@code http-nio-*}: the request threads, and the poller and acceptor that
 * hand them their connections) did, from the kernel's scheduler
 * statistics of each thread ({@code /proc/<pid>/task/<tid>/schedstat}: time on a CPU, time runnable but waiting for
 * one, and the number of times it was given a CPU). Between two readings, the wait says how much of a request's time
 * went to queueing for a core rather than to its own work or to I/O. A thread that ends between two readings takes
 * its counts with it (Tomcat keeps its spare threads for a minute), so over a longer interval the figures err low.
 */
record Scheduling(long cpuNanos, long waitNanos, long slices) {

    static final Scheduling UNREAD = new Scheduling(-1, -1, -1);

    /**
     * The thread name as the kernel keeps it, its first 15 bytes: {@code http-nio-8082-e} for a request thread,
     * {@code http-nio-auto-1} for every thread of a connector on a random port, so the poller and the acceptor count
     * too.
     */
    private static final Pattern HTTP_THREAD = Pattern.compile("http-nio-.*");

    /** The sums over the request threads of every JVM running {@code module}'s jar. */
    static Scheduling httpThreads(String module) {
        long cpu = 0;
        long wait = 0;
        long slices = 0;
        for (ProcessHandle jvm : CpuUse.jvmsOf(module).toList()) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(jvm.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    long[] counts = counts(task);
                    if (counts != null) {
                        cpu += counts[0];
                        wait += counts[1];
                        slices += counts[2];
                    }
                }
            } catch (IOException e) {
                return UNREAD;
            }
        }
        return new Scheduling(cpu, wait, slices);
    }

    /** A thread's three counts, or null when it is not a request thread or has ended. */
    private static long[] counts(Path task) {
        try {
            if (!HTTP_THREAD.matcher(Files.readString(task.resolve("comm")).strip()).matches()) {
                return null;
            }
            String[] fields = Files.readString(task.resolve("schedstat")).strip().split("\\s+");
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    boolean read() {
        return cpuNanos >= 0;
    }

    Scheduling since(Scheduling before) {
        return read() && before.read()
                ? new Scheduling(cpuNanos - before.cpuNanos, waitNanos - before.waitNanos, slices - before.slices)
                : UNREAD;
    }
}
