package org.viewsync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Loads the routes from {@code ./routes} ({@code workflows/} and {@code platform/}) when the service runs beside that
 * folder, so the integration team's edits take effect on restart without a rebuild, and from the copies packaged in
 * the jar otherwise. Both at once would clash on route ids. An explicit {@code camel.main.routes-include-pattern} (for
 * example mounted ConfigMaps) wins.
 */
public class RoutesLocation implements EnvironmentPostProcessor {

    static final String PROPERTY = "camel.main.routes-include-pattern";
    /** The workflows of Immuta's guide, which an integration team edits, and the platform they run on. */
    static final List<String> LAYERS = List.of("workflows", "platform");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String location = Files.isDirectory(Path.of("routes")) ? "file:routes/" : "classpath:routes/";
        String pattern = LAYERS.stream().map(layer -> location + layer + "/*.camel.yaml").collect(Collectors.joining(","));
        environment.getPropertySources().addLast(new MapPropertySource("viewsync-routes-location", Map.of(PROPERTY, pattern)));
    }
}
