package dev.verdict.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used so far by each part of the stack on this machine, from the kernel's accounting of each process
 * ({@link ProcessHandle.Info#totalCpuDuration()}, user plus system). The difference of two readings says where a
 * step's CPU went; divided by the decisions accepted in it, what one decision costs each part. A process that ends
 * between two readings is not counted (PostgreSQL's short-lived autovacuum workers, for instance), so the figures
 * err low, never high. {@code nanos} is {@link System#nanoTime()} for a reading, the wall time between the two for a
 * difference.
 */
record CpuUse(Map<String, Duration> byPart, long nanos) {

    static final String MODERATION = "moderation-service";
    static final String AUDIT = "audit-service";
    static final String KAFKA = "Kafka broker";
    static final String POSTGRES = "PostgreSQL";
    static final String HARNESS = "load driver (this harness)";
    static final List<String> PARTS = List.of(MODERATION, POSTGRES, KAFKA, AUDIT, HARNESS);

    /** A reading now: the harness's child processes by command line, and PostgreSQL's postmaster with its backends. */
    static CpuUse now(Path postgresData) {
        Map<String, Duration> parts = new LinkedHashMap<>();
        PARTS.forEach(part -> parts.put(part, Duration.ZERO));
        ProcessHandle.current().descendants().forEach(p -> partOf(p).ifPresent(part -> parts.merge(part, cpu(p),
                Duration::plus)));
        postmaster(postgresData).ifPresent(postmaster -> Stream.concat(Stream.of(postmaster),
                        postmaster.descendants())
                .forEach(p -> parts.merge(POSTGRES, cpu(p), Duration::plus)));
        parts.merge(HARNESS, cpu(ProcessHandle.current()), Duration::plus);
        return new CpuUse(parts, System.nanoTime());
    }

    CpuUse since(CpuUse earlier) {
        Map<String, Duration> used = new LinkedHashMap<>();
        byPart.forEach((part, total) -> used.put(part, total.minus(earlier.byPart.getOrDefault(part, Duration.ZERO))));
        return new CpuUse(used, nanos - earlier.nanos);
    }

    /** Over a difference: the share of the machine's cores that {@code used} amounts to. */
    double shareOfMachine(Duration used, int cores) {
        return used.toNanos() / ((double) nanos * cores);
    }

    Duration of(String part) {
        return byPart.getOrDefault(part, Duration.ZERO);
    }

    Duration total() {
        return byPart.values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    private static Optional<String> partOf(ProcessHandle process) {
        String command = commandLine(process);
        if (runsJarOf(command, MODERATION)) {
            return Optional.of(MODERATION);
        }
        if (runsJarOf(command, AUDIT)) {
            return Optional.of(AUDIT);
        }
        if (command.contains("kafka.Kafka")) {
            return Optional.of(KAFKA);
        }
        return Optional.empty();
    }

    /** This harness's child JVMs running {@code module}'s runnable jar (one per service here). */
    static Stream<ProcessHandle> jvmsOf(String module) {
        return ProcessHandle.current().descendants().filter(p -> runsJarOf(commandLine(p), module));
    }

    private static boolean runsJarOf(String command, String module) {
        return command.contains("-exec.jar") && command.contains("/" + module + "/");
    }

    /**
     * The whole command line from /proc: {@link ProcessHandle.Info#commandLine()} came back without the Kafka broker's
     * main class (its class path is several KB long), so the broker's CPU went uncounted.
     */
    static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine().orElse("");
        }
    }

    private static Optional<ProcessHandle> postmaster(Path data) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
