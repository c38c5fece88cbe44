package org.viewsync.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;

/** Whether Immuta answers HTTP at all (any status: this is about reaching it, not about credentials). */
@Component
public class ImmutaHealthIndicator implements HealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI immuta;

    public ImmutaHealthIndicator(ImmutaProperties properties) {
        this.immuta = URI.create(properties.getUrl());
    }

    @Override
    public Health health() {
        try {
            int status = http.send(HttpRequest.newBuilder(immuta).timeout(TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return Health.up().withDetail("url", immuta.toString()).withDetail("httpStatus", status).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.status(DependencyHealth.DEGRADED).withDetail("url", immuta.toString()).build();
        } catch (Exception e) {
            return Health.status(DependencyHealth.DEGRADED).withDetail("url", immuta.toString())
                    .withDetail("error", e.getClass().getSimpleName()).build();
        }
    }
}
