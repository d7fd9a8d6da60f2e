package dev.verdict.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A component of the stack running as its own process, its output appended to a log file. */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path workDir,
                              Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start(), log);
    }

    /** The java of this JVM, so the whole stack runs on one JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * JVM options added to every service and broker JVM the stack starts, from the system property
     * {@value #JVM_OPTIONS_PROPERTY} (whitespace-separated; none when unset). The build's end-to-end tests set start-up
     * options there (see verdict-local's and verdict-bench's failsafe configuration); {@code ./verdict up},
     * {@code ./verdict reliability} and {@code ./verdict bench} leave it unset and run the JVMs as they are deployed.
     */
    static List<String> extraJvmOptions() {
        String options = System.getProperty(JVM_OPTIONS_PROPERTY, "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    static final String JVM_OPTIONS_PROPERTY = "verdict.stack.jvm-options";

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    Process process() {
        return process;
    }

    /** SIGTERM, then up to {@code grace} for a clean exit, then SIGKILL. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 30 s");
        }
    }

    /** Sends a signal (STOP, CONT, ...) with the system's kill command. */
    void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + signal + " " + name + " failed with " + exit);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
