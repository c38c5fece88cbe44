package org.viewsync.health;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import org.viewsync.targets.Target;
import org.viewsync.targets.Targets;

/** Whether each target database gives a valid connection within two seconds. */
@Component
public class TargetsHealthIndicator implements HealthIndicator {

    private final Targets targets;

    public TargetsHealthIndicator(Targets targets) {
        this.targets = targets;
    }

    @Override
    public Health health() {
        Map<String, String> reachable = new LinkedHashMap<>();
        boolean all = true;
        for (Target target : targets.all()) {
            boolean valid = reachable(targets.dataSource(target));
            reachable.put(target.name(), valid ? "UP" : "unreachable");
            all &= valid;
        }
        return (all ? Health.up() : Health.status(DependencyHealth.DEGRADED)).withDetails(reachable).build();
    }

    private static boolean reachable(DataSource pool) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try (Connection connection = pool.getConnection()) {
                    return connection.isValid(2);
                } catch (Exception e) {
                    return false;
                }
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }
}
