package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import java.util.List;

/**
 * What "narrower" means when an appeal MODIFIES a decision: no wider in any respect (kind no more severe, scope and
 * territory subsets, ends no later) and narrower in at least one.
 */
final class Narrowing {

    private static final List<DecisionKind> SEVERITY = List.of(DecisionKind.WARNING, DecisionKind.RESTRICTION,
            DecisionKind.SUSPENSION, DecisionKind.BAN);

    private Narrowing() {
    }

    static void check(DecisionKind originalKind, DecisionTerms original, DecisionKind kind, DecisionTerms replacement) {
        int severity = Integer.compare(SEVERITY.indexOf(kind), SEVERITY.indexOf(originalKind));
        boolean scopeSubset = original.scope().containsAll(replacement.scope());
        boolean territorySubset = original.territorialScope().contains("WORLDWIDE")
                || original.territorialScope().containsAll(replacement.territorialScope());
        boolean endsNoLater = original.expiresAt() == null
                || (replacement.expiresAt() != null && !replacement.expiresAt().isAfter(original.expiresAt()));
        if (severity > 0 || !scopeSubset || !territorySubset || !endsNoLater) {
            throw new RuleViolation("replacement-not-narrower", "a modified decision must not be wider than the "
                    + "original in kind, scope, territory or duration");
        }
        boolean narrower = severity < 0
                || replacement.scope().size() < original.scope().size()
                || !replacement.territorialScope().equals(original.territorialScope())
                || (replacement.expiresAt() != null && !replacement.expiresAt().equals(original.expiresAt()));
        if (!narrower) {
            throw new RuleViolation("replacement-not-narrower", "a modified decision must be narrower than the "
                    + "original in at least one of kind, scope, territory or duration; to keep it, uphold it");
        }
    }
}
