package org.viewsync.health;

import java.time.Clock;
import java.time.Instant;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;

/**
 * Whether Immuta has our webhook, as the registration route last found it (readiness component {@code registration}):
 * until it has, no notification arrives. DEGRADED, with Immuta's reason, after a refused or failed registration; the
 * route tries again every {@code viewsync.webhook.retry-interval}.
 */
@Component
public class RegistrationHealthIndicator implements HealthIndicator {

    private static final Status DEGRADED =
            new Status("DEGRADED", "the webhook is not registered with Immuta: no notification arrives until it is");

    private final Clock clock;
    private final long checkIntervalMillis;
    private volatile Health health = Health.unknown().withDetail("reason", "not checked yet").build();
    private volatile Instant lastRegistered;

    public RegistrationHealthIndicator(ViewSyncProperties properties) {
        this.clock = Clock.systemUTC();
        this.checkIntervalMillis = properties.getWebhook().getCheckInterval();
    }

    /** Whether the hook is due to be checked: never found registered, or found so longer than the check interval ago. */
    public boolean isCheckDue() {
        Instant last = lastRegistered;
        return last == null || !clock.instant().isBefore(last.plusMillis(checkIntervalMillis));
    }

    public void registered(Object webhookId, String url) {
        lastRegistered = clock.instant();
        health = Health.up().withDetail("webhookId", String.valueOf(webhookId)).withDetail("url", url).build();
    }

    public void refused(String reason) {
        lastRegistered = null;
        health = Health.status(DEGRADED).withDetail("reason", reason).build();
    }

    @Override
    public Health health() {
        return health;
    }
}
