package dev.verdict.audit.ingest;

import java.sql.SQLException;
import java.util.Set;

/**
 * Whether a failure to store a record is PostgreSQL refusing the record itself, which it would refuse again however
 * often it is tried, as opposed to the database being away or busy, which waiting mends. Live ingestion stores the
 * records of a refused batch one by one and sends the refused one to the dead-letter topic; a replay leaves it out;
 * retrying a dead letter that is still refused is a 422. All three ask this one question, so that they agree.
 *
 * <p>Refused: a data exception or an integrity violation (the SQLState classes Spring translates to
 * {@code DataIntegrityViolationException}: 01, 02, 22, 23, 27, 44) and a limit of the database exceeded by the row
 * (class 54: an index entry larger than a btree page allows, for one, which a text of a few kilobytes in an indexed
 * column such as the actor's id makes).
 */
public final class Refusals {

    private static final Set<String> CLASSES = Set.of("01", "02", "22", "23", "27", "44", "54");

    private Refusals() {
    }

    public static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
