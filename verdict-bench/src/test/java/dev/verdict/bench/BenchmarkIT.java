package dev.verdict.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The smoke run of the benchmark harness ({@code ./verdict bench --quick}): the real stack, a few seconds at tiny
 * rates, and a replay of 10,000 events. Checks that the harness measures (throughput, latencies, the publisher, the
 * producer tool, memory, the peer (Axon out of the box, with its publisher), the replay against its raw limit) and
 * writes its report, here to target/ rather than docs/.
 */
class BenchmarkIT {

    @Test
    void theQuickRunMeasuresEverySectionAndWritesTheReport() throws Exception {
        Benchmark.Report report = Benchmark.run(Path.of("..").toAbsolutePath().normalize(),
                Benchmark.Settings.smoke(), "BenchmarkIT", System.out);
        String markdown = BenchmarkReport.markdown(report);
        Path written = Files.writeString(Path.of("target", "BENCHMARKS-quick.md"), markdown);

        assertThat(report.warmup().windows()).as(markdown).isNotEmpty()
                .allSatisfy(w -> assertThat(w.rate()).isPositive());
        assertThat(report.peer().warmup().windows()).isNotEmpty();
        assertThat(report.steps()).isNotEmpty();
        assertThat(report.steps()).allSatisfy(step -> {
            assertThat(step.http().ok()).as(markdown).isPositive();
            assertThat(step.http().latency().getTotalCount()).isEqualTo(step.http().ok() + step.http().failed());
            assertThat(step.raw().ok()).isPositive();
        });
        assertThat(report.steps().get(0).http().ok()).as(markdown).isPositive();
        assertThat(report.closedHttp()).allSatisfy(r -> assertThat(r.achieved()).isPositive());
        assertThat(report.closedRaw()).allSatisfy(r -> assertThat(r.achieved()).isPositive());
        assertThat(report.endToEnd().seen()).as(markdown).isEqualTo(report.endToEnd().accepted()).isPositive();
        assertThat(report.endToEnd().visible().getValueAtPercentile(99)).isPositive();
        assertThat(report.endToEndLeadIn().seen()).as(markdown).isEqualTo(report.endToEndLeadIn().accepted())
                .isPositive();
        for (Benchmark.Reads reads : List.of(report.endToEnd().reads(), report.quietReads())) {
            assertThat(reads.history().ok()).as(markdown).isPositive();
            assertThat(reads.history().failed()).isZero();
            assertThat(reads.asOf().failed()).isZero();
            assertThat(reads.search().failed()).isZero();
            // read from the kernel: audit-service's request threads ran, and had to be given a core to answer
            assertThat(reads.auditHttpThreads().read()).as(markdown).isTrue();
            assertThat(reads.auditHttpThreads().cpuNanos()).isPositive();
            assertThat(reads.auditHttpThreads().slices()).isGreaterThanOrEqualTo(reads.requests());
        }
        assertThat(report.peer().closed()).allSatisfy(r -> assertThat(r.achieved()).as(markdown).isPositive());
        assertThat(report.peer().steps()).isNotEmpty().allSatisfy(step -> {
            assertThat(step.http().ok()).as(markdown).isPositive();
            assertThat(step.stored()).isPositive();
        });
        // its send-and-wait publisher put every stored event on its own topic by the end
        assertThat(report.peer().topicRecords()).as(markdown).isEqualTo(report.peer().storeEvents()).isPositive();
        assertThat(report.publishing().perfRate()).isPositive();
        // the relay re-sent the backlog twice: after a restart, and warm after its lease session ended
        assertThat(report.publishing().cold().events()).as(markdown).isEqualTo(200);
        assertThat(report.publishing().warm().events()).as(markdown).isEqualTo(200);
        assertThat(report.publishing().warm().seconds()).as(markdown).isPositive();
        assertThat(report.steps().get(0).memory().moderationHeap()).isPositive();
        assertThat(report.steps().get(0).memory().moderationRss()).isPositive();
        // read from the JVMs themselves after a full collection: -1 would mean jcmd could not reach them
        assertThat(report.liveHeap().moderation()).as(markdown).isPositive().isLessThanOrEqualTo(512L << 20);
        assertThat(report.liveHeap().audit()).as(markdown).isPositive().isLessThanOrEqualTo(512L << 20);
        assertThat(report.steps().get(0).memory().auditRss()).isPositive();
        assertThat(report.replay().status()).as(markdown).isEqualTo("DONE");
        assertThat(report.replay().digestsEqual()).as(markdown).isTrue();
        assertThat(report.replay().topicRecords()).isEqualTo(Benchmark.Settings.smoke().replayEvents());
        assertThat(report.replay().done()).as("the replay read the whole topic")
                .isEqualTo(report.replay().topicRecords());
        assertThat(report.replay().raw().records()).isEqualTo(report.replay().topicRecords());
        assertThat(report.replay().rate()).isPositive();
        assertThat(report.replay().memory().auditRss()).isPositive();
        // Ingesting and replaying 10,000 events allocates far more than audit-service's young generation: a service
        // that reported no pause at all would mean its pause timer was not read.
        assertThat(report.replay().memory().auditGc().pauses()).as(markdown).isPositive();
        assertThat(report.replay().memory().auditGc().seconds()).isPositive();
        assertThat(Files.readString(written)).contains("# Benchmarks", "## 0. Warm-up", "ProducerPerformance", "Peak sustained",
                "(b) Axon out of the box", "Peer's peak sustained", "Where the CPU goes", "moderation GC pauses",
                "## 6. Replay of 10,000 events", "no writes: history page", "Where a read's time went");
        // the latency half of the throughput target is answered on its own, whichever way the run went
        assertThat(Files.readString(written)).containsAnyOf("highest step with p99 ≤ 50 ms: ",
                "no step had p99 ≤ 50 ms");
    }
}
