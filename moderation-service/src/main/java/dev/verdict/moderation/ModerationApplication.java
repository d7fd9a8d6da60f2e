package dev.verdict.moderation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** moderation-service: records moderation decisions about advertisers as events and publishes them to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ModerationApplication {

    static {
        // Nothing may phone home and there is no internet: Axon's update checker is off through Spring's
        // axon.update-check.disabled (application.yml) and, like the AxonIQ Console banner, through the JVM system
        // properties Axon reads, set here so they hold in every profile and in tests too.
        setUnlessGiven("axoniq.update-checker.disabled", "true");
        setUnlessGiven("disable-axoniq-console-message", "true");
    }

    private static void setUnlessGiven(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    public static void main(String[] args) {
        SpringApplication.run(ModerationApplication.class, args);
    }
}
