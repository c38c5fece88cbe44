package org.viewsync.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes the zero-configuration start real: when {@code immuta.url} is not set, the service talks to its own
 * simulator at {@code /immuta-simulator} with the simulator's API key, and, unless targets are configured, writes
 * views into an embedded H2 demo target holding the demo source tables. The simulator refuses to drive a target
 * that is not embedded H2 unless {@code viewsync.simulator.allow-real-targets} is set.
 */
public class SimulatorDefaults implements EnvironmentPostProcessor {

    static final String BASE_PATH = "/immuta-simulator";
    static final String DEMO_TARGET_URL = "jdbc:h2:file:${viewsync.data-dir}/demo-target;INIT=RUNSCRIPT FROM 'classpath:simulator/demo-target.sql'";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        boolean immutaConfigured = !environment.getProperty("immuta.url", "").isBlank();
        boolean enabled = binder.bind("viewsync.simulator.enabled", Boolean.class).orElse(!immutaConfigured);
        if (!enabled) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("viewsync.simulator.enabled", true);
        if (!immutaConfigured) {
            defaults.put("immuta.url", "http://localhost:${server.port}" + BASE_PATH);
        }
        if (environment.getProperty("viewsync.webhook.url", "").isBlank()) {
            defaults.put("viewsync.webhook.url", "http://localhost:${server.port}${viewsync.intake.path}");
        }
        if (environment.getProperty("immuta.api-key", "").isBlank()) {
            defaults.put("immuta.api-key", "${viewsync.simulator.api-key}");
        }
        Map<String, TargetUrl> targets = binder.bind("viewsync.targets", Bindable.mapOf(String.class, TargetUrl.class)).orElse(Map.of());
        if (targets.isEmpty()) {
            defaults.put("viewsync.targets.demo.url", DEMO_TARGET_URL);
            defaults.put("viewsync.targets.demo.username", "sa");
            defaults.put("viewsync.targets.demo.handler-types", "PostgreSQL");
        } else if (!binder.bind("viewsync.simulator.allow-real-targets", Boolean.class).orElse(false)) {
            targets.forEach((name, target) -> {
                if (target.url != null && !target.url.startsWith("jdbc:h2:")) {
                    throw new IllegalStateException("IMMUTA_URL is not set, so the built-in Immuta simulator would drive target '"
                            + name + "', which is not an embedded H2 database. Set IMMUTA_URL to a real Immuta, or set"
                            + " viewsync.simulator.allow-real-targets=true to demo against this target on purpose.");
                }
            });
        }
        environment.getPropertySources().addFirst(new MapPropertySource("viewsync-simulator-defaults", defaults));
    }

    /** Just the URL of a configured target. */
    public static class TargetUrl {
        public String url;

        public void setUrl(String url) {
            this.url = url;
        }
    }
}
