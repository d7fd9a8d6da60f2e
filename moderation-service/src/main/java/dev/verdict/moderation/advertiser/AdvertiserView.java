package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.AccountType;
import java.time.Instant;
import java.util.List;

/** What GET /api/v1/advertisers/{id} answers: the advertiser, its decisions and their appeals, at a version. */
public record AdvertiserView(String advertiserId, String legalName, String country, AccountType accountType,
                             long version, Instant registeredAt, List<DecisionSummary> decisions) {

    public record DecisionSummary(String decisionId, String kind, List<String> scope, Policy policy, String statement,
                                  Instant effectiveFrom, Instant expiresAt, Instant recordedAt,
                                  List<AppealSummary> appeals) {
    }

    public record Policy(String id, String version, String clause) {
    }

    public record AppealSummary(String appealId, String status, Instant filedAt, Instant deadline) {
    }
}
