package dev.verdict.audit.replay;

import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.PathIds;
import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** ADMIN starts a replay and follows it; {@code VERDICT_REPLAY_ON_STARTUP=true} starts one when the service is up. */
@RestController
class ReplayController {

    private static final Logger log = LoggerFactory.getLogger(ReplayController.class);

    /**
     * A run as the endpoint shows it: progress, rate, ETA, the digests compared at the swap, how long the swap
     * paused live ingestion ({@code swapMillis}) and how long it kept readers out ({@code lockMillis}).
     */
    record Run(String replayId, String status, Instant startedAt, Instant finishedAt, long done, long total,
               long ratePerSecond, Long etaSeconds, String digestLive, String digestRebuilt, Boolean equal,
               Long swapMillis, Long lockMillis, String error) {
    }

    private final ReplayService replays;
    private final JdbcTemplate jdbc;
    private final boolean onStartup;

    ReplayController(ReplayService replays, JdbcTemplate jdbc,
                     @Value("${verdict.replay.on-startup:false}") boolean onStartup) {
        this.replays = replays;
        this.jdbc = jdbc;
        this.onStartup = onStartup;
    }

    @EventListener(ApplicationReadyEvent.class)
    void replayOnStartup() {
        try {
            replays.markAbandoned();
        } catch (SQLException e) {
            log.warn("could not check for replay runs left RUNNING by a stopped instance", e);
        }
        if (onStartup) {
            replays.start();
        }
    }

    @PostMapping("/api/v1/admin/replay")
    ResponseEntity<Map<String, Object>> start() {
        UUID id = replays.start().orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "replay-running",
                "a replay is running; follow it, or wait for it to end"));
        return ResponseEntity.accepted().location(URI.create("/api/v1/admin/replay/" + id))
                .body(Map.of("replayId", id.toString()));
    }

    /**
     * A run as stored. One stored as {@code RUNNING} that this instance does not run may be another instance's, or
     * one left by an instance that stopped: when no replay holds the lock it is the latter, and is marked so first.
     */
    @GetMapping("/api/v1/admin/replay/{replayId}")
    Run status(@PathVariable String replayId) throws SQLException {
        UUID id = PathIds.uuid(replayId, "replay-not-found");
        Run run = read(id);
        if (run.status().equals("RUNNING") && !replays.isRunning(id) && replays.markAbandoned() > 0) {
            run = read(id);
        }
        return run;
    }

    private Run read(UUID id) {
        return jdbc.query("SELECT * FROM replay_run WHERE replay_id = ?", (rs, n) -> {
            Instant started = rs.getTimestamp("started_at").toInstant();
            Instant finished = rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant();
            long done = replays.isRunning(id) ? replays.liveDone() : rs.getLong("done");
            var progress = ReplayService.progress(done, rs.getLong("total"), started,
                    finished == null ? Instant.now() : finished);
            String live = rs.getString("digest_live");
            String rebuilt = rs.getString("digest_rebuilt");
            return new Run(id.toString(), rs.getString("status"), started, finished, done, rs.getLong("total"),
                    progress.ratePerSecond(), finished == null ? progress.etaSeconds() : Long.valueOf(0), live,
                    rebuilt, live == null ? null : live.equals(rebuilt), rs.getObject("swap_millis", Long.class),
                    rs.getObject("lock_millis", Long.class), rs.getString("error"));
        }, id).stream().findFirst().orElseThrow(() -> ApiException.notFound("replay-not-found", "no replay " + id));
    }
}
