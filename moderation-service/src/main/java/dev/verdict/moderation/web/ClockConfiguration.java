package dev.verdict.moderation.web;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    /** The one source of "now" for commands; tests replace it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
