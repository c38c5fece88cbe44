package org.viewsync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.viewsync.preflight.PreflightCommand;

/**
 * Keeps native SQL views in step with Immuta policies; the flow itself lives in {@code routes/*.camel.yaml}.
 * Spring Security's filters are registered by {@code SecurityConfiguration}, which lets webhook deliveries pass them.
 */
@SpringBootApplication(exclude = SecurityFilterAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ViewSyncApplication {

    public static void main(String[] args) {
        if (PreflightCommand.isAsked(args)) {
            System.exit(PreflightCommand.run(ViewSyncApplication.class, args));
        }
        SpringApplication.run(ViewSyncApplication.class, args);
    }
}
