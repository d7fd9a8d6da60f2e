package dev.verdict.moderation.decision;

import dev.verdict.moderation.advertiser.AdvertiserIds;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** One decision for up to 1,000 advertisers, each recorded as its own event carrying the batch id. */
public record BulkDecisionRequest(
        @NotEmpty @Size(max = 1000) List<@NotNull @Pattern(regexp = AdvertiserIds.PATTERN) String> advertiserIds,
        @NotNull @Valid IssueDecisionRequest decision) {
}
