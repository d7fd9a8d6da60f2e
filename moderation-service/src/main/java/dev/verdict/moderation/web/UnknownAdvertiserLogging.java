package dev.verdict.moderation.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.axonframework.modelling.command.AbstractRepository;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.stereotype.Component;

/**
 * A command for an advertiser that does not exist is a client's mistake, answered 404 {@code advertiser-not-found}
 * ({@link CommandProblems}); Axon's repository also logs it as a WARN with the whole stack trace (about 30 lines),
 * so any caller could fill the service's log by naming unknown advertisers. This drops exactly that line: Axon's
 * repository logger, an {@link AggregateNotFoundException}. Every other failure to load an advertiser (the database,
 * a corrupt stream) is still logged as Axon logs it.
 */
@Component
class UnknownAdvertiserLogging extends TurboFilter {

    private static final String REPOSITORY = AbstractRepository.class.getName();

    @PostConstruct
    void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            setContext(logback);
            start();
            logback.addTurboFilter(this);
        }
    }

    @PreDestroy
    void uninstall() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getTurboFilterList().remove(this);
        }
        stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level != Level.WARN || logger == null || !REPOSITORY.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last
                : null;
        return thrown instanceof AggregateNotFoundException ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
