package org.viewsync.jdbc;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Names the state database's kind as {@code viewsync.state.vendor} ({@code postgresql}, {@code mariadb}, {@code mysql},
 * {@code h2}, ...), from {@code spring.datasource.url} as Spring Boot reads it, for the few statements the routes
 * write per database: the claims, which MariaDB and MySQL run along the whole table in their portable form.
 */
public class StateDatabaseVendor implements EnvironmentPostProcessor {

    static final String PROPERTY = "viewsync.state.vendor";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.datasource.url", "");
        DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(url);
        String vendor = driver == DatabaseDriver.UNKNOWN ? "other" : driver.getId();
        environment.getPropertySources().addLast(new MapPropertySource("viewsync-state-vendor", Map.of(PROPERTY, vendor)));
    }
}
