package dev.verdict.moderation.policy;

import dev.verdict.servicekit.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A policy version as registered: its id and version, its title, and the text of each clause. */
public record PolicyRegistration(
        @NotNull @Pattern(regexp = PolicyRegistration.ID) String id,
        @NotNull @Pattern(regexp = PolicyRegistration.VERSION) String version,
        @NotBlank @Size(max = 500) @PlainText String title,
        @NotEmpty @Size(max = 500) List<@NotNull @Valid Clause> clauses) {

    public static final String ID = "[a-z0-9][a-z0-9/._-]{0,127}";
    public static final String VERSION = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    public static final String CLAUSE = "[A-Za-z0-9][A-Za-z0-9.()-]{0,31}";

    public record Clause(@NotNull @Pattern(regexp = CLAUSE) String clause,
                         @NotBlank @Size(max = 20_000) @PlainText String text) {
    }
}
