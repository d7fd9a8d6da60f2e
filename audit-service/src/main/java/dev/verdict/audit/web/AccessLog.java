package dev.verdict.audit.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records every authenticated read of the API: who looked at what, when, and with what outcome. Reads of the audit
 * history are themselves part of the audit.
 */
@Component
class AccessLog extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private final JdbcTemplate jdbc;
    private final Clock clock;

    AccessLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.clock = Clock.systemUTC();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
            if (!request.isAsyncStarted()) {
                // The reader has the whole answer before its record is committed: the record is written all the
                // same, by this thread, before it serves anything else, but the reader does not wait for its WAL
                // flush. Closing the body ends the response (a flush alone leaves a chunked one open).
                complete(response);
            }
        } finally {
            Authentication principal = SecurityContextHolder.getContext().getAuthentication();
            if (principal != null && principal.isAuthenticated()) {
                record(request, response, principal);
            }
        }
    }

    private static void complete(HttpServletResponse response) throws IOException {
        try {
            response.getOutputStream().close();
        } catch (IllegalStateException writerInUse) {
            response.getWriter().close();
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, Authentication principal) {
        try {
            jdbc.update("""
                    INSERT INTO access_log (at, principal, roles, method, path, query, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    Timestamp.from(clock.instant()), principal.getName(),
                    principal.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                            .collect(Collectors.joining(",")),
                    request.getMethod(), request.getRequestURI(), request.getQueryString(), response.getStatus());
        } catch (RuntimeException e) {
            log.error("could not record access of {} to {}", principal.getName(), request.getRequestURI(), e);
        }
    }
}
