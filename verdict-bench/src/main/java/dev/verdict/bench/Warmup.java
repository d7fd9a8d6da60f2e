package dev.verdict.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Load before the measurements until the JVMs under test have settled: decisions in closed-loop windows, each
 * window's rate and the CPU the JIT compilers spent in it noted, until a window is no faster than the best before it
 * (within 5 %) and the compilers used less than a tenth of a core, after a minimum and up to a maximum time.
 *
 * <p>Why it matters here: a service's JVM on two cores shared with everything else compiles for minutes. In one
 * check by hand, moderation-service answered 67 decisions/s with one in flight in its second minute, its C2 compiler
 * threads using close to half a core, and 350-440/s (about 3 ms on average) a few minutes later with the compilers
 * quiet.
 * A fixed 20 s warm-up measured mostly the compiler. The windows are reported: they are the cold start.
 */
final class Warmup {

    /** One window: decisions per second accepted, their p99, and the JIT compilers' CPU seconds in it. */
    record Window(double seconds, double rate, double p99Ms, double jitSeconds) {
    }

    /** The windows in order; {@code settled} says whether the last one met the rule before the maximum time. */
    record Result(List<Window> windows, boolean settled) {

        double seconds() {
            return windows.stream().mapToDouble(Window::seconds).sum();
        }
    }

    private static final double NO_FASTER = 1.05;
    private static final double QUIET_COMPILER_SHARE = 0.10;

    private Warmup() {
    }

    static Result run(Benchmark.Settings settings, int inFlight, Supplier<CompletableFuture<Boolean>> op,
                      DoubleSupplier jitSeconds, PrintStream out, String who) throws InterruptedException {
        List<Window> windows = new ArrayList<>();
        double elapsed = 0;
        double best = 0;
        boolean settled = false;
        while (elapsed < settings.warmupMax().toSeconds()) {
            double jitBefore = jitSeconds.getAsDouble();
            OpenLoop.Result r = OpenLoop.closed(inFlight, settings.warmupWindow(), op);
            double jit = jitSeconds.getAsDouble() - jitBefore;
            Window window = new Window(r.seconds(), r.achieved(), r.ms(99), jit);
            windows.add(window);
            elapsed += r.seconds();
            out.printf("%swarm-up window %d: %.0f decisions/s (p99 %.1f ms), JIT compilers %.1f CPU-s%n", who,
                    windows.size(), window.rate(), window.p99Ms(), jit);
            settled = elapsed >= settings.warmupMin().toSeconds() && window.rate() < NO_FASTER * best
                    && jit < QUIET_COMPILER_SHARE * window.seconds();
            best = Math.max(best, window.rate());
            if (settled) {
                break;
            }
        }
        return new Result(windows, settled);
    }

    /**
     * CPU seconds used so far by the JIT compiler threads ({@code C1/C2 CompilerThread}) of the harness's child JVMs
     * running {@code module}'s runnable jar, from the kernel's accounting of each thread.
     */
    static double jitSeconds(String module) {
        return CpuUse.jvmsOf(module).mapToDouble(p -> compilerSeconds(p.pid())).sum();
    }

    private static double compilerSeconds(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.mapToDouble(task -> {
                try {
                    String name = Files.readString(task.resolve("comm"));
                    if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                        return 0;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command's closing paren
                    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
                } catch (IOException | RuntimeException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** USER_HZ: the unit of /proc's CPU times, 100 on Linux on every architecture the JDK runs on. */
    private static final int TICKS_PER_SECOND = 100;
}
