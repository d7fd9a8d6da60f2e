package dev.verdict.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A real, durable PostgreSQL 17 from the zonky Maven artifact: fsync, synchronous commit and full page writes on
 * (zonky turns the first two off by default, which is fine for tests and wrong here). Data under
 * {@code <home>/postgres/data} survives restarts.
 */
public final class Postgres implements AutoCloseable {

    public static final String USER = "verdict";
    public static final String PASSWORD = "verdict";

    private final EmbeddedPostgres server;
    private final java.nio.file.Path data;

    private Postgres(EmbeddedPostgres server, java.nio.file.Path data) {
        this.server = server;
        this.data = data;
    }

    public static Postgres start(StackConfig config, List<String> databases) throws IOException, SQLException {
        var data = Files.createDirectories(config.home().resolve("postgres/data"));
        var work = Files.createDirectories(config.home().resolve("postgres/work"));
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(work.toFile())
                .setRegisterShutdownHook(false)
                .setPort(config.postgresPort())
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(
                        config.logs().resolve("postgres.log").toFile()))
                .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(
                        config.logs().resolve("postgres.log").toFile()))
                .start();
        Postgres postgres = new Postgres(server, data);
        postgres.provision(config, databases);
        return postgres;
    }

    /** Creates the services' role and databases when they are missing, and checks durability is really on. */
    private void provision(StackConfig config, List<String> databases) throws SQLException {
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            if (!exists(statement, "SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
                statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            for (String database : databases) {
                if (!exists(statement, "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                    statement.execute("CREATE DATABASE " + database + " OWNER " + USER);
                }
            }
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
                    rs.next();
                    if (!"on".equals(rs.getString(1))) {
                        throw new IllegalStateException("PostgreSQL runs with " + setting + "=" + rs.getString(1)
                                + "; the local stack must be durable");
                    }
                }
            }
        }
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (ResultSet rs = statement.executeQuery(query)) {
            return rs.next();
        }
    }

    /**
     * A crash: SIGKILL to the postmaster and every backend at once (a backend left behind would keep the shared
     * memory and stop the restart). The next {@link #start} runs PostgreSQL's crash recovery on the same data.
     */
    void kill() throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        List<Long> pids = new java.util.ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        List<String> command = new java.util.ArrayList<>(List.of("kill", "-KILL"));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        new ProcessBuilder(command).inheritIO().start().waitFor();
        for (long pid : pids) {
            var process = ProcessHandle.of(pid);
            if (process.isPresent()) {
                try {
                    process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("PostgreSQL process " + pid + " survived SIGKILL", e);
                }
            }
        }
        // Releases zonky's lock on the data directory (its attempt to stop the dead server fails, as it must).
        server.close();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
