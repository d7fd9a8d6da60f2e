package dev.verdict.bench;

import dev.verdict.bench.Benchmark.Report;

/** Section 1's (b): Axon out of the box, side by side with moderation-service, from the same run. */
final class PeerReport {

    private PeerReport() {
    }

    static void markdown(StringBuilder md, Report r) {
        Peer.Result p = r.peer();
        var s = r.settings();
        md.append("### (b) Axon out of the box, the peer a team would get without this work\n\n");
        md.append(String.format("""
                **What it is.** Module `verdict-peer`: a Spring Boot application with moderation-service's own \
                `Advertiser` aggregate and commands, and what Axon's Spring Boot starter gives without further \
                work: the **JPA storage engine** on Axon's own entities, tables made by Hibernate's `ddl-auto` \
                (with Hibernate 7 the event payload column came out as `%s`, and the global index comes from \
                Hibernate's pooled sequence), the **default event processor** (tracking, one thread, one segment, a batch of \
                one event, its token in the JPA token store), no aggregate cache (`NoCache`: every command reads its \
                advertiser's events back), no snapshots, Axon's `SimpleDeadlineManager`, Boot's default pools \
                (Hikari 10 connections, Tomcat 200 threads), commands through `CommandGateway.sendAndWait`. An \
                `@EventHandler` in processing group `kafka-publisher` publishes each event with a plain \
                `KafkaProducer` (client defaults: `acks=all`, idempotent) and **`send(record).get()`**: one \
                send-and-wait per event, keyed by advertiser. Events are serialized with Axon's Jackson \
                serializer (`axon.serializer.events=jackson`), because Axon's default, XStream (1.4.21), cannot \
                read the contract's records back (`can't get field offset on a record class` on \
                `AdvertiserRegistered`) and cannot even write a decision's immutable lists on Java 17 without \
                `--add-opens java.base/java.util`; tokens and anything else keep the XStream default.

                It runs the same command for the same request: the harness sends it the same JSON bodies (policy \
                registration, %,d advertiser registrations, then `WARNING` decisions), and the aggregate appends \
                the same contract event, `AdvertiserWarned`. It does less per request than moderation-service, \
                which **favours the peer**: no authentication (the service checks HTTP Basic on every request), no \
                bean validation of the body, no idempotency keys, no provenance metadata and no hash chain on the \
                events, no read model written in the command's transaction; its policy catalogue is in memory \
                (the service, too, keeps a cited version in memory once read).

                **How it was measured.** After the service's measurements above, with both services idle: the \
                peer in its own JVM (`-Xms128m -Xmx512m -XX:+UseG1GC`, up and answering in %.1f s) on the same \
                PostgreSQL (database `%s` of its own, created by the harness) and the same broker (topic `%s` of \
                its own, %d partitions like the real topic). The same sequence as for the service: %,d \
                advertisers registered with 16 in flight (%.1f s), a warm-up with %.0f in flight by the service's rule \
                (%s), \
                closed-loop steps of %d s, then open-loop steps of %d s at %s of **its own** best closed-loop \
                rate, stopping after the first step it does not sustain (same criteria). "Published" is how many \
                of its events reached its topic during the step, "backlog" is stored minus on its topic at the end \
                of the step, "drained in" how long its publisher then took to put that backlog on the topic (the next \
                step waits for that, as the service's raw steps wait for its relay). The peer is stopped afterwards.

                """, p.payloadType(), p.advertisers(), p.startSeconds(), Peer.DATABASE, Peer.TOPIC, p.partitions(), p.advertisers(),
                p.registrationSeconds(), s.warmupRate(), BenchmarkReport.warmup(p.warmup()),
                s.closedStep().toSeconds(), s.step().toSeconds(), p.fractions()));

        md.append("**Closed loop, peer against moderation-service** (the service's figures from the table above):\n\n");
        md.append("| in flight | peer accepted /s | peer p50 ms | peer p99 ms | peer p99.9 ms | moderation-service /s "
                + "| service / peer |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < p.closed().size(); i++) {
            var peer = p.closed().get(i);
            var service = i < r.closedHttp().size() ? r.closedHttp().get(i) : null;
            md.append(String.format("| %d | %,.0f | %.2f | %.2f | %.2f | %s | %s |%n", peer.concurrency(),
                    peer.achieved(), peer.ms(50), peer.ms(99), peer.ms(99.9),
                    service == null ? "" : String.format("%,.0f", service.achieved()),
                    service == null || peer.achieved() == 0 ? ""
                            : String.format("%.1f×", service.achieved() / peer.achieved())));
        }

        md.append("\n**Open loop, the peer** (latency from the intended send time):\n\n");
        md.append("| offered /s | accepted /s | in flight | p50 ms | p99 ms | p99.9 ms | failed / shed | events stored "
                + "| published | backlog at end | drained in | sustained |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < p.steps().size(); i++) {
            Peer.Step step = p.steps().get(i);
            var h = step.http();
            double drain = p.drainSeconds().get(i);
            md.append(String.format("| %,.0f | %,.0f | %.1f | %.2f | %.2f | %.2f | %d / %d | %,d | %,d | %,d | %s | "
                            + "%s |%n", h.offered(), h.achieved(), h.meanInFlight(), h.ms(50), h.ms(99), h.ms(99.9),
                    h.failed(), h.shed(), step.stored(), step.published(), step.backlogAtEnd(),
                    Double.isNaN(drain) ? "> 60 s" : String.format("%.1f s", drain), h.sustained() ? "yes" : "**no**"));
        }
        if (Double.isNaN(p.peak())) {
            md.append(String.format("%nPeer's peak sustained: **none of its steps**; moderation-service sustained "
                    + "%,.0f/s.%n%n", r.peak()));
        } else {
            md.append(String.format("%nPeer's peak sustained: **%,.0f decisions/s**, against **%,.0f/s** for "
                            + "moderation-service in the same run (%.1f×); best closed loop %,.0f/s against %,.0f/s. "
                            + "At the end its store held %,d events and its topic %,d.%n%n", p.peak(), r.peak(),
                    r.peak() / p.peak(), p.closedBest(),
                    r.closedHttp().stream().mapToDouble(OpenLoop.Result::achieved).max().orElse(0), p.storeEvents(),
                    p.topicRecords()));
        }
    }
}
