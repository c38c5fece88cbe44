package org.viewsync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Keeps native SQL views in step with Immuta policies; the flow itself lives in {@code routes/*.camel.yaml}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ViewSyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(ViewSyncApplication.class, args);
    }
}
