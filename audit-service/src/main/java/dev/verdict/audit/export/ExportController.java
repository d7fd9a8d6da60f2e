package dev.verdict.audit.export;

import dev.verdict.audit.history.EventFilters;
import dev.verdict.audit.history.EventQueryParams;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.EventReader;
import dev.verdict.servicekit.ApiException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Exports, streamed row by row from a database cursor: millions of events without holding them in memory. NDJSON
 * has the envelopes exactly as published, one per line, each advertiser's in sequence order (so that
 * {@code ./verdict verify --file} can check it); CSV has one flat row per event. Filters as for the search, plus
 * {@code advertiserId}.
 */
@RestController
class ExportController {

    private static final Pattern ADVERTISER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int FETCH_SIZE = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    ExportController(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    @GetMapping(value = "/api/v1/exports/events.ndjson", produces = "application/x-ndjson")
    ResponseEntity<StreamingResponseBody> ndjson(@ModelAttribute EventQueryParams params) {
        Query query = query(params);
        return attachment("events.ndjson", "application/x-ndjson", out -> stream(query, out, null,
                (writer, row) -> {
                    writer.write(row.getString(1));
                    writer.write('\n');
                }));
    }

    @GetMapping(value = "/api/v1/exports/events.csv", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> csv(@ModelAttribute EventQueryParams params) {
        Query query = query(params);
        return attachment("events.csv", "text/csv", out -> stream(query, out, CsvRows.HEADER,
                (writer, row) -> writer.write(CsvRows.row(EventJson.mapper().readTree(row.getString(1))))));
    }

    /**
     * One line per decision: a DSA Transparency Database statement of reasons (its V2 fields) for each reportable
     * decision, and for the others the reasons they cannot be reported. Decisions replaced on appeal by a narrower
     * one are reported like any other; the replacement is a decision of its own.
     */
    @GetMapping(value = "/api/v1/exports/statements-of-reasons", produces = "application/x-ndjson")
    ResponseEntity<StreamingResponseBody> statementsOfReasons(@ModelAttribute EventQueryParams params) {
        EventFilters filters = checked(params);
        StringBuilder sql = new StringBuilder("""
                SELECT e.envelope, r.envelope FROM audit_event e
                LEFT JOIN LATERAL (SELECT envelope FROM audit_event r WHERE r.advertiser_id = e.advertiser_id
                                   AND r.event_type = 'AdvertiserRegistered' ORDER BY r.sequence LIMIT 1) r ON TRUE
                WHERE e.event_type IN ('AdvertiserBanned', 'AdvertiserSuspended', 'AdvertiserRestricted',
                                       'AdvertiserWarned', 'AppealModified')""");
        // The same filters as the search (a period of recorded time, above all: the database takes statements in
        // periodic submissions), on the decisions themselves.
        List<Object> args = filters.newArgs();
        filters.appendTo(sql, args, params.advertiserId());
        sql.append(" ORDER BY e.advertiser_id, e.sequence");
        Query query = new Query(sql.toString(), args.toArray());
        return attachment("statements-of-reasons.ndjson", "application/x-ndjson", out -> stream(query, out, null,
                (writer, rs) -> {
                    StatementOfReasons.Outcome outcome = outcome(rs.getString(1), rs.getString(2));
                    if (outcome != null) {
                        writer.write(EventJson.write(outcome));
                        writer.write('\n');
                    }
                }));
    }

    private static StatementOfReasons.Outcome outcome(String decisionEnvelope, String registrationEnvelope)
            throws IOException {
        var envelope = EventJson.mapper().readTree(decisionEnvelope);
        var event = EventReader.readable(envelope).orElse(null);
        AccountType accountType = null;
        java.time.Instant registeredAt = null;
        if (registrationEnvelope != null) {
            var registration = EventJson.mapper().readTree(registrationEnvelope);
            if (EventReader.readable(registration).orElse(null) instanceof AdvertiserRegistered registered) {
                accountType = registered.accountType();
                registeredAt = java.time.Instant.parse(registration.path("occurredAt").asText());
            }
        }
        String advertiserId = envelope.path("advertiserId").asText();
        if (event instanceof DecisionEvent decision) {
            return StatementOfReasons.of(decision.decisionId(), advertiserId, decision.kind(), decision.terms(),
                    accountType, registeredAt);
        }
        if (event instanceof AppealModified modified) {
            return StatementOfReasons.of(modified.replacementDecisionId(), advertiserId, modified.replacementKind(),
                    modified.replacementTerms(), accountType, registeredAt);
        }
        return null;
    }

    /** One exported line for one stored envelope. */
    private interface Line {
        void write(Writer writer, java.sql.ResultSet row) throws IOException, java.sql.SQLException;
    }

    /** The query, built and checked before the response starts: a bad filter is a 400, not a broken stream. */
    private record Query(String sql, Object[] args) {
    }

    private static Query query(EventQueryParams params) {
        EventFilters filters = checked(params);
        StringBuilder sql = new StringBuilder("SELECT envelope FROM audit_event WHERE TRUE");
        List<Object> args = filters.newArgs();
        filters.appendTo(sql, args, params.advertiserId());
        sql.append(" ORDER BY advertiser_id, sequence, event_id");
        return new Query(sql.toString(), args.toArray());
    }

    /** The filters of an export, checked: those of the search; an export is one stream, never pages. */
    private static EventFilters checked(EventQueryParams params) {
        if (params.advertiserId() != null && !ADVERTISER_ID.matcher(params.advertiserId()).matches()) {
            throw ApiException.badRequest("validation-failed", "advertiserId must match [A-Za-z0-9._-]{1,64}");
        }
        if (params.cursor() != null) {
            throw ApiException.badRequest("validation-failed", "an export is one stream, not pages: no cursor");
        }
        return params.filters();
    }

    /** Streams inside a read-only transaction, so that PostgreSQL serves the rows from a cursor, in batches. */
    private void stream(Query query, OutputStream out, String header, Line line) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        if (header != null) {
            writer.write(header);
        }
        try {
            readOnly.executeWithoutResult(status -> jdbc.query(connection -> {
                var statement = connection.prepareStatement(query.sql());
                statement.setFetchSize(FETCH_SIZE);
                for (int i = 0; i < query.args().length; i++) {
                    statement.setObject(i + 1, query.args()[i] instanceof String[] array
                            ? connection.createArrayOf("text", array) : query.args()[i]);
                }
                return statement;
            }, rs -> {
                try {
                    line.write(writer, rs);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writer.flush();
    }

    private static ResponseEntity<StreamingResponseBody> attachment(String filename, String type,
                                                                   StreamingResponseBody body) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .contentType(MediaType.parseMediaType(type))
                .body(body);
    }
}
