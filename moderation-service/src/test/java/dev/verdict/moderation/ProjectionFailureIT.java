package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.testkit.Api;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The read model and the event store never disagree: when the view cannot be written, the event is not stored. */
class ProjectionFailureIT extends LiveModerationService {

    @AfterEach
    void removeSabotage() {
        jdbc.execute("DROP TRIGGER IF EXISTS sabotage ON note_view");
        jdbc.execute("DROP FUNCTION IF EXISTS sabotage_note()");
    }

    @Test
    void aCommandWhoseViewCannotBeWrittenStoresNoEvent() {
        String advertiser = register("sabotaged-" + UUID.randomUUID().toString().substring(0, 8));
        jdbc.execute("""
                CREATE FUNCTION sabotage_note() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.text = 'sabotage' THEN RAISE EXCEPTION 'the view refuses this row'; END IF;
                    RETURN NEW;
                END;
                $$""");
        jdbc.execute("CREATE TRIGGER sabotage BEFORE INSERT ON note_view FOR EACH ROW EXECUTE FUNCTION sabotage_note()");
        long events = storedEvents();

        Api.Response refused = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/notes",
                "{\"text\": \"sabotage\"}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(500);
        assertThat(refused.isProblem()).isTrue();
        assertThat(storedEvents()).as("no event without its view").isEqualTo(events);
        Api.Response accepted = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/notes",
                "{\"text\": \"an ordinary note\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(storedEvents()).isEqualTo(events + 1);
    }
}
