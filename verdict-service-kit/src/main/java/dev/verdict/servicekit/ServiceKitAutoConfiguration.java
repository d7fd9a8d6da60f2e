package dev.verdict.servicekit;

import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** Brings the shared problem+json handling and the JWT claim mapping into both services. */
@AutoConfiguration
@Import(ProblemHandler.class)
@EnableConfigurationProperties(JwtClaims.class)
public class ServiceKitAutoConfiguration {

    @Bean
    org.springframework.boot.web.server.WebServerFactoryCustomizer<
            org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory> problemErrorPages() {
        return factory -> factory.addContextCustomizers(ProblemErrorReportValve.installer());
    }

    @Bean
    org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer strictJson() {
        return StrictJson.customizer();
    }
}
