package dev.verdict.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How a service's runnable jar is launched. By default as built ({@code java -jar <module>-exec.jar}). With the system
 * property {@value #EXTRACT_PROPERTY}{@code =true} (the build's end-to-end tests set it) the jar is first extracted
 * once, with Spring Boot's own {@code -Djarmode=tools extract}, into {@code target/extracted/} beside it, and the
 * extracted jar is launched: the same classes and resources, but loaded from plain jars on the class path instead of
 * through the nested-jar loader, which halves a service's start-up CPU on this machine. The extraction is redone
 * whenever the jar changes.
 */
final class ServiceLayout {

    static final String EXTRACT_PROPERTY = "verdict.stack.extract-jars";

    private ServiceLayout() {
    }

    /**
     * The jar to pass to {@code java -jar}: {@code jar} itself, or its extracted form. Test JVMs that run at the
     * same time (failsafe forks) extract under a file lock beside the jar, so one extracts and the others use it.
     */
    static synchronized Path launchable(Path jar) throws IOException {
        if (!Boolean.getBoolean(EXTRACT_PROPERTY)) {
            return jar;
        }
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(
                jar.resolveSibling("extracted.lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); var held = lock.lock()) {
            return extracted(jar);
        }
    }

    private static Path extracted(Path jar) throws IOException {
        Path root = jar.resolveSibling("extracted");
        Path extracted = root.resolve(jar.getFileName());
        Path stamp = root.resolve("extracted-from");
        String version = jar.getFileName() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        if (Files.exists(extracted) && Files.exists(stamp) && Files.readString(stamp).equals(version)) {
            return extracted;
        }
        Directories.delete(root);
        Path staging = Files.createTempDirectory(jar.getParent(), "extracting-");
        Path log = staging.resolveSibling(staging.getFileName() + ".log");
        try {
            ChildProcess extract = ChildProcess.start("extract " + jar.getFileName(),
                    List.of(ChildProcess.java(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                            "--destination", staging.resolve("out").toString()),
                    Map.of(), jar.getParent(), log);
            if (!extract.process().waitFor(120, TimeUnit.SECONDS) || extract.exitValue() != 0) {
                extract.kill();
                throw new IllegalStateException("extracting " + jar + " failed; see " + log);
            }
            Files.writeString(staging.resolve("out").resolve("extracted-from"), version);
            Files.move(staging.resolve("out"), root, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while extracting " + jar, e);
        } finally {
            Directories.delete(staging);
        }
        if (!Files.exists(extracted)) {
            throw new IllegalStateException("extracting " + jar + " did not produce " + extracted);
        }
        return extracted;
    }
}
