package dev.verdict.moderation.advertiser;

/**
 * A command broke a rule of the domain. {@link #code()} is the stable machine-readable code of the problem
 * response (for example {@code appeal-window-closed}); nothing was recorded.
 */
public class RuleViolation extends RuntimeException {

    private final String code;

    public RuleViolation(String code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
