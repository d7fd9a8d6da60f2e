package dev.verdict.servicekit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The users of the local profile (password equal to the user name, as PRODUCT.md lists them). They exist only in
 * the local profile; production authenticates JWTs.
 *
 * <p>Passwords are stored as BCrypt hashes, and a verified credential is remembered for a short time (keyed by a
 * SHA-256 of user and password, never the password itself): HTTP Basic sends the password with every request, and
 * a BCrypt check per request would cap a 2-core service at a few dozen requests per second.
 */
public final class LocalUsers {

    private static final Map<String, List<String>> ROLES = Map.of(
            "moderator1", List.of("MODERATOR"),
            "moderator2", List.of("MODERATOR"),
            "lead1", List.of("MODERATOR", "APPEAL_REVIEWER"),
            "reviewer1", List.of("APPEAL_REVIEWER"),
            "auditor1", List.of("AUDITOR"),
            "admin1", List.of("ADMIN"),
            "kaspersky", List.of("ADVERTISER"));

    private static final Map<String, String> ADVERTISER_OF = Map.of("kaspersky", "kaspersky-lab");

    private LocalUsers() {
    }

    public static UserDetailsService userDetailsService() {
        BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(8);
        List<UserDetails> users = new ArrayList<>();
        ROLES.forEach((name, roles) -> {
            List<SimpleGrantedAuthority> authorities = new ArrayList<>();
            roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
            if (ADVERTISER_OF.containsKey(name)) {
                authorities.add(new SimpleGrantedAuthority(
                        Principals.ADVERTISER_AUTHORITY_PREFIX + ADVERTISER_OF.get(name)));
            }
            users.add(User.withUsername(name).password("{bcrypt}" + encoder.encode(name))
                    .authorities(authorities).build());
        });
        return new InMemoryUserDetailsManager(users);
    }

    /** A DaoAuthenticationProvider that remembers successful checks for {@code ttl}. */
    public static AuthenticationProvider cachingProvider(UserDetailsService users, Duration ttl) {
        DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
        return new CachingProvider(dao, ttl.toNanos());
    }

    private record Verified(Authentication result, long expiresAtNanos) {
    }

    private static final class CachingProvider implements AuthenticationProvider {
        private static final int MAX_ENTRIES = 10_000;
        private final AuthenticationProvider delegate;
        private final long ttlNanos;
        private final Map<String, Verified> verified = new ConcurrentHashMap<>();

        CachingProvider(AuthenticationProvider delegate, long ttlNanos) {
            this.delegate = delegate;
            this.ttlNanos = ttlNanos;
        }

        @Override
        public Authentication authenticate(Authentication authentication) throws AuthenticationException {
            String key = key(authentication.getName(), String.valueOf(authentication.getCredentials()));
            Verified known = verified.get(key);
            long now = System.nanoTime();
            if (known != null && now - known.expiresAtNanos() < 0) {
                return known.result();
            }
            Authentication result = delegate.authenticate(authentication);
            if (result != null) {
                if (verified.size() >= MAX_ENTRIES) {
                    verified.clear();
                }
                verified.put(key, new Verified(result, now + ttlNanos));
            }
            return result;
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return delegate.supports(authentication);
        }

        private static String key(String user, String password) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(user.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(password.getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(digest.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
