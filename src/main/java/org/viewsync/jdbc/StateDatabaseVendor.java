package org.viewsync.jdbc;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Names the state database's kind as {@code viewsync.state.vendor} ({@code postgresql}, {@code mariadb}, {@code mysql},
 * {@code h2}, ...), from {@code spring.datasource.url} as Spring Boot reads it, and the folder of the few statements
 * written per database as {@code viewsync.state.claims}: the queues' claims, which MariaDB and MySQL run along the
 * whole table in the portable form ({@code sql/claims/mariadb}, else {@code sql/claims/portable}).
 */
public class StateDatabaseVendor implements EnvironmentPostProcessor {

    static final String PROPERTY = "viewsync.state.vendor";
    static final String CLAIMS = "viewsync.state.claims";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.datasource.url", "");
        DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(url);
        String vendor = driver == DatabaseDriver.UNKNOWN ? "other" : driver.getId();
        String claims = vendor.equals("mariadb") || vendor.equals("mysql") ? "sql/claims/mariadb" : "sql/claims/portable";
        environment.getPropertySources().addLast(new MapPropertySource("viewsync-state-vendor",
                Map.of(PROPERTY, vendor, CLAIMS, claims)));
    }
}
