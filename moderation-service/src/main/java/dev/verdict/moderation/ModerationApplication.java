package dev.verdict.moderation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** moderation-service: records moderation decisions about advertisers as events and publishes them to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ModerationApplication {

    public static void main(String[] args) {
        SpringApplication.run(ModerationApplication.class, args);
    }
}
