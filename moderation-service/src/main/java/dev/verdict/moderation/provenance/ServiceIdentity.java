package dev.verdict.moderation.provenance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The envelope's {@code source}: which service, of which version, on which instance recorded an event.
 *
 * @param instance defaults to host name and process id (VERDICT_INSTANCE_ID overrides it)
 */
@ConfigurationProperties("verdict.source")
public record ServiceIdentity(@DefaultValue("moderation-service") String service,
                              @DefaultValue("0.1.0") String version,
                              String instance) {

    public ServiceIdentity {
        if (instance == null || instance.isBlank()) {
            instance = hostName() + "-" + ProcessHandle.current().pid();
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
