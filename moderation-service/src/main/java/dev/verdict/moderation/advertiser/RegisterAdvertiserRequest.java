package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.AccountType;
import dev.verdict.servicekit.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record RegisterAdvertiserRequest(
        @NotNull @Pattern(regexp = AdvertiserIds.PATTERN) String advertiserId,
        @NotBlank @Size(max = 300) @PlainText String legalName,
        @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code") String country,
        @NotNull AccountType accountType) {
}
