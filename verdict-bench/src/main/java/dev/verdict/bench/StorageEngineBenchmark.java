package dev.verdict.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Evidence;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.StatementCategory;
import dev.verdict.local.Postgres;
import dev.verdict.local.StackConfig;
import dev.verdict.moderation.advertiser.Advertiser;
import dev.verdict.moderation.advertiser.AppealWindow;
import dev.verdict.moderation.advertiser.IssueDecision;
import dev.verdict.moderation.advertiser.RegisterAdvertiser;
import dev.verdict.moderation.provenance.ChainTips;
import dev.verdict.moderation.provenance.HashChainInterceptor;
import dev.verdict.moderation.provenance.ProvenanceCorrelation;
import dev.verdict.moderation.provenance.ServiceIdentity;
import jakarta.persistence.EntityManagerFactory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;

/**
 * Axon's JPA storage engine against its JDBC storage engine, on the same durable PostgreSQL 17 (fsync,
 * synchronous_commit and full_page_writes on), driving the real Advertiser aggregate through Axon's command bus with
 * the hash chain sealing every event: each iteration registers a new advertiser and bans it (two commands, two
 * transactions, two events). Closed loop at a fixed number of threads; latency per command in HdrHistogram.
 *
 * <p>Run: {@code ./mvnw -q -DskipTests package && java -cp "verdict-bench/target/classes:$(cat
 * verdict-bench/target/runtime-classpath.txt)" dev.verdict.bench.StorageEngineBenchmark [threads] [seconds]}
 */
public final class StorageEngineBenchmark {

    private static final PrintStream out = System.out;

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        int[] threadCounts = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt)
                .toArray() : new int[] {1, 4};
        Duration duration = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 20);
        Path home = Files.createDirectories(Path.of("target", "bench-home").toAbsolutePath());
        StackConfig stack = new StackConfig(Path.of("."), home, StackConfig.freePort(), 0, 0, 0, 0);
        Files.createDirectories(stack.logs());
        List<String> databases = new ArrayList<>();
        for (int threads : threadCounts) {
            databases.add("bench_jdbc_" + threads);
            databases.add("bench_jpa_" + threads);
        }
        dropDatabases(home);
        try (Postgres postgres = Postgres.start(stack, databases)) {
            out.printf("durable PostgreSQL 17 on port %d (fsync, synchronous_commit, full_page_writes on); %d cores%n",
                    stack.postgresPort(), Runtime.getRuntime().availableProcessors());
            out.printf("%-6s %7s %12s %9s %9s %9s  %s%n", "engine", "threads", "commands/s",
                    "p50 ms", "p99 ms", "p99.9 ms", "check (each command appends one event)");
            for (int threads : threadCounts) {
                run("jdbc", threads, duration, dataSource(stack.jdbcUrl("bench_jdbc_" + threads), threads),
                        StorageEngineBenchmark::jdbcEngine);
                run("jpa", threads, duration, dataSource(stack.jdbcUrl("bench_jpa_" + threads), threads),
                        StorageEngineBenchmark::jpaEngine);
            }
        }
    }

    /** Each run starts from an empty database so that neither engine reads the other's data. */
    private static void dropDatabases(Path home) throws Exception {
        Path data = home.resolve("postgres");
        if (Files.exists(data)) {
            try (var files = Files.walk(data)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private record Engine(EventStorageEngine engine, org.axonframework.common.transaction.TransactionManager tx) {
    }

    private static Engine jdbcEngine(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        var tx = new SpringTransactionManager(new DataSourceTransactionManager(dataSource));
        EventSchema schema = EventSchema.builder().eventTable("domain_event_entry").snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index").timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier").aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number").typeColumn("type").payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision").payloadColumn("payload").metaDataColumn("meta_data")
                .build();
        return new Engine(JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        new SpringDataSourceConnectionProvider(dataSource)))
                .transactionManager(tx)
                .schema(schema)
                .persistenceExceptionResolver(new SQLStateResolver("23505"))
                .eventSerializer(eventSerializer())
                .snapshotSerializer(JacksonSerializer.defaultSerializer())
                .build(), tx);
    }

    /** Axon's JPA engine as a team gets it out of the box: Hibernate maps Axon's entities and owns the schema. */
    private static Engine jpaEngine(DataSource dataSource) {
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setPackagesToScan("org.axonframework.eventsourcing.eventstore.jpa");
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "create", "hibernate.show_sql", "false"));
        factory.afterPropertiesSet();
        EntityManagerFactory emf = factory.getObject();
        var tx = new SpringTransactionManager(new JpaTransactionManager(emf));
        var entityManager = SharedEntityManagerCreator.createSharedEntityManager(emf);
        return new Engine(JpaEventStorageEngine.builder()
                .entityManagerProvider(() -> entityManager)
                .transactionManager(tx)
                .eventSerializer(eventSerializer())
                .snapshotSerializer(JacksonSerializer.defaultSerializer())
                .build(), tx);
    }

    private static JacksonSerializer eventSerializer() {
        return JacksonSerializer.builder().objectMapper(EventJson.mapper().copy()).build();
    }

    private static void run(String name, int threads, Duration duration, HikariDataSource dataSource,
                            Function<DataSource, Engine> engineFactory) throws Exception {
        Engine engine = engineFactory.apply(dataSource);
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> engine.engine())
                .configureAggregate(Advertiser.class)
                .configureSerializer(c -> JacksonSerializer.defaultSerializer())
                .configureEventSerializer(c -> eventSerializer())
                .configureTransactionManager(c -> engine.tx())
                .registerComponent(AppealWindow.class, c -> AppealWindow.standard())
                .configureCorrelationDataProviders(c -> List.of(ProvenanceCorrelation.provider(
                        new ServiceIdentity("moderation-service", "bench", "bench"))));
        Configuration config = configurer.start();
        config.eventStore().registerDispatchInterceptor(new HashChainInterceptor(config.eventStore(),
                ChainTips.onHeap(100_000)));
        CommandGateway gateway = config.commandGateway();
        try {
            measure(gateway, threads, Duration.ofSeconds(3), new Recorder(3), new AtomicLong());
            Recorder recorder = new Recorder(3);
            AtomicLong commands = new AtomicLong();
            long start = System.nanoTime();
            measure(gateway, threads, duration, recorder, commands);
            double seconds = (System.nanoTime() - start) / 1e9;
            Histogram histogram = recorder.getIntervalHistogram();
            out.printf("%-6s %7d %12.0f %9.2f %9.2f %9.2f  %s%n", name, threads, commands.get() / seconds,
                    histogram.getValueAtPercentile(50) / 1e6,
                    histogram.getValueAtPercentile(99) / 1e6, histogram.getValueAtPercentile(99.9) / 1e6,
                    name.equals("jpa") ? check(dataSource, "domainevententry", "globalindex")
                            : check(dataSource, "domain_event_entry", "global_index"));
        } finally {
            config.shutdown();
            dataSource.close();
        }
    }

    private static void measure(CommandGateway gateway, int threads, Duration duration, Recorder recorder,
                                AtomicLong commands) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    String advertiser = "bench-" + UUID.randomUUID();
                    long t0 = System.nanoTime();
                    gateway.sendAndWait(new RegisterAdvertiser(advertiser, "Bench Ltd", "DE", AccountType.BUSINESS));
                    long t1 = System.nanoTime();
                    gateway.sendAndWait(new IssueDecision(advertiser, null, UUID.randomUUID().toString(),
                            DecisionKind.BAN, TERMS, Instant.now()));
                    long t2 = System.nanoTime();
                    recorder.recordValue(t1 - t0);
                    recorder.recordValue(t2 - t1);
                    commands.addAndGet(2);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
    }

    /** What the engine left in PostgreSQL: the column type of the payload and whether global indexes are dense. */
    private static String check(DataSource dataSource, String table, String globalIndex) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            String payloadType;
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT data_type FROM information_schema.columns WHERE table_name = '" + table
                            + "' AND column_name = 'payload'")) {
                payloadType = rs.next() ? rs.getString(1) : "?";
            }
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT count(*), max(" + globalIndex + ") - min(" + globalIndex + ") + 1 FROM " + table)) {
                rs.next();
                return "payload " + payloadType + ", " + rs.getLong(1) + " events in a global index span of "
                        + rs.getLong(2);
            }
        }
    }

    private static final DecisionTerms TERMS = new DecisionTerms(List.of(Scope.ADVERTISING),
            new PolicyReference("ads/unacceptable-business-practices", "2018-01", "4.2",
                    "Ads must not come from advertisers whose business model inherently conflicts with acceptable "
                            + "ads business practices, as assessed against the criteria published in this policy."),
            Ground.INCOMPATIBLE_CONTENT, null, StatementCategory.STATEMENT_CATEGORY_OTHER_VIOLATION_TC,
            "Your account may no longer advertise. We assessed your business model against clause 4.2 of our ads "
                    + "policy (version 2018-01). You can still use the platform as an organic user.",
            List.of("WORLDWIDE"), false, AutomatedDecision.NOT_AUTOMATED,
            List.of(new Evidence("urn:verdict:evidence:bench", "ab".repeat(32), "text/plain", "the notice")),
            Instant.parse("2026-11-01T00:00:00Z"), null, null,
            new dev.verdict.contract.events.InformationSource(
                    dev.verdict.contract.events.InformationSource.Type.SOURCE_VOLUNTARY, null));

    private static HikariDataSource dataSource(String url, int threads) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(Postgres.USER);
        config.setPassword(Postgres.PASSWORD);
        config.setMaximumPoolSize(threads + 2);
        config.setAutoCommit(false);
        return new HikariDataSource(config);
    }
}
