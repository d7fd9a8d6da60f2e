package dev.verdict.moderation.advertiser;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Evidence;
import java.time.Instant;
import java.util.List;

/**
 * What GET /api/v1/advertisers/{id} answers: the advertiser and, for each decision, its full statement of reasons
 * (rule and clause text, ground, facts, evidence), its fate, its appeals and whether and until when it can be
 * appealed. Staff also see who decided and the internal notes; the advertiser's own account does not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdvertiserView(String advertiserId, String legalName, String country, AccountType accountType,
                             long version, Instant registeredAt, List<DecisionDetail> decisions, List<Note> notes) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DecisionDetail(String decisionId, String kind, String status, DecisionTerms terms,
                                 List<Evidence> attachedEvidence, Instant recordedAt, String decidedBy,
                                 Instant endedAt, String endReason, AppealOptions appeal, List<AppealSummary> appeals) {
    }

    /** Whether the decision can be appealed now, and until when. */
    public record AppealOptions(boolean open, Instant deadline, String how) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AppealSummary(String appealId, String status, String statement, Instant filedAt, String filedBy,
                                String rationale, String decidedBy, Instant decidedAt) {
    }

    public record Note(String noteId, String decisionId, String text, String writtenBy, Instant writtenAt) {
    }

    /** The same view without what only staff may see. */
    public AdvertiserView forAdvertiser() {
        return new AdvertiserView(advertiserId, legalName, country, accountType, version, registeredAt,
                decisions.stream().map(d -> new DecisionDetail(d.decisionId(), d.kind(), d.status(), d.terms(),
                        d.attachedEvidence(), d.recordedAt(), null, d.endedAt(), d.endReason(), d.appeal(),
                        d.appeals().stream().map(a -> new AppealSummary(a.appealId(), a.status(), a.statement(),
                                a.filedAt(), null, a.rationale(), null, a.decidedAt())).toList())).toList(),
                null);
    }
}
