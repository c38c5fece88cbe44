package org.viewsync.health;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Whether the view SQL endpoint answered with SQL the last time it was asked (readiness component {@code viewSql}).
 * DEGRADED with the reason, which names the setting to check, after a 404 or an answer without SQL.
 */
@Component
public class ViewSqlHealthIndicator implements HealthIndicator {

    private static final Status DEGRADED =
            new Status("DEGRADED", "the view SQL endpoint serves no SQL: views wait until it does");

    private volatile Health health = Health.unknown().withDetail("reason", "not asked yet").build();

    public void served() {
        if (health.getStatus() != Status.UP) {
            health = Health.up().build();
        }
    }

    public void unavailable(String reason) {
        health = Health.status(DEGRADED).withDetail("reason", reason).build();
    }

    @Override
    public Health health() {
        return health;
    }
}
