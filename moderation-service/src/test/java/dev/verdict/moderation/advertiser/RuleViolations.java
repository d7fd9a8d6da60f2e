package dev.verdict.moderation.advertiser;

import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;

/** Matches the rejection of a command by its stable code. */
final class RuleViolations {

    private RuleViolations() {
    }

    static Matcher<RuleViolation> violation(String code) {
        return new CustomTypeSafeMatcher<>("a rule violation with code " + code) {
            @Override
            protected boolean matchesSafely(RuleViolation item) {
                return item.code().equals(code);
            }
        };
    }
}
