package dev.verdict.audit.decision;

import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.PathIds;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/decisions/{decisionId}}: see {@link DecisionDossier}. */
@RestController
class DecisionController {

    private final JdbcTemplate jdbc;

    DecisionController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/decisions/{decisionId}")
    DecisionDossier decision(@PathVariable String decisionId) {
        UUID id = PathIds.uuid(decisionId, "decision-not-found");
        List<String> envelopes = jdbc.queryForList("""
                SELECT envelope FROM audit_event WHERE decision_id = ? OR replacement_decision_id = ?
                ORDER BY advertiser_id, sequence""", String.class, id, id);
        DecisionDossier dossier = DecisionDossier.of(id.toString(), envelopes);
        if (dossier == null) {
            throw ApiException.notFound("decision-not-found", "no decision " + id);
        }
        return dossier;
    }
}
