package org.viewsync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Loads the routes from {@code ./routes} when the service runs beside that folder, so the integration team's edits
 * take effect on restart without a rebuild, and from the copies packaged in the jar otherwise. Both at once would
 * clash on route ids. An explicit {@code camel.main.routes-include-pattern} (for example a mounted ConfigMap) wins.
 */
public class RoutesLocation implements EnvironmentPostProcessor {

    static final String PROPERTY = "camel.main.routes-include-pattern";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String pattern = Files.isDirectory(Path.of("routes")) ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml";
        environment.getPropertySources().addLast(new MapPropertySource("viewsync-routes-location", Map.of(PROPERTY, pattern)));
    }
}
