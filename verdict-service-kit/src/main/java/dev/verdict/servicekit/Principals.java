package dev.verdict.servicekit;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Reads Verdict's facts off an authenticated principal, whatever authenticated it (local HTTP Basic users, or JWT
 * claims in production): its roles, and the advertiser an ADVERTISER principal is bound to, carried as the
 * authority {@code advertiser:<advertiserId>}.
 */
public final class Principals {

    public static final String ADVERTISER_AUTHORITY_PREFIX = "advertiser:";
    /** Marks a principal that is a system (a service account), not a person. */
    public static final String SYSTEM_ACTOR = "actor:SYSTEM";

    private Principals() {
    }

    public static boolean hasRole(Authentication principal, String role) {
        return principal.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(("ROLE_" + role)::equals);
    }

    public static boolean isSystem(Authentication principal) {
        return principal.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(SYSTEM_ACTOR::equals);
    }

    /** The advertiser this principal acts as, if it is an advertiser's account. */
    public static Optional<String> boundAdvertiser(Authentication principal) {
        return principal.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith(ADVERTISER_AUTHORITY_PREFIX))
                .map(authority -> authority.substring(ADVERTISER_AUTHORITY_PREFIX.length()))
                .findFirst();
    }
}
