package org.viewsync.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.viewsync.ViewSyncApplication;

/** Starts whole service instances for the suites that need more than the shared test context. */
public final class Services {

    private Services() {
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service in this JVM, configured by command-line arguments as a deployment would be. */
    public static ConfigurableApplicationContext start(List<String> arguments) {
        return new SpringApplicationBuilder(ViewSyncApplication.class).run(arguments.toArray(String[]::new));
    }

    /** Arguments that point an instance at the fake Immuta, a state database and the real PostgreSQL target. */
    public static List<String> againstFakeImmuta(int port, String stateUrl, Map<String, String> extra) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--immuta.url=" + FakeImmuta.url(),
                "--immuta.api-key=" + FakeImmuta.API_KEY, "--spring.datasource.url=" + stateUrl,
                "--spring.datasource.username=postgres", "--viewsync.reconciliation.enabled=false",
                "--viewsync.queue.poll-interval=20ms", "--viewsync.queue.coalesce-window=100ms",
                "--viewsync.queue.initial-backoff=100ms", "--viewsync.queue.max-backoff=1s",
                "--viewsync.targets.postgres.url=" + TargetDatabase.POSTGRES.url,
                "--viewsync.targets.postgres.username=postgres", "--viewsync.targets.postgres.handler-types=PostgreSQL"));
        extra.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }
}
