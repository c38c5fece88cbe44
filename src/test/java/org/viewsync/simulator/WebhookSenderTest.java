package org.viewsync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The simulator delivers like Immuta: the notification as JSON, signed when the hook has a secret. */
@SuppressWarnings("unchecked")
class WebhookSenderTest {

    @Test
    void signsTheRawBodyWithTheHooksSecret() throws Exception {
        AtomicReference<byte[]> body = new AtomicReference<>();
        AtomicReference<String> signature = new AtomicReference<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            body.set(exchange.getRequestBody().readAllBytes());
            signature.set(exchange.getRequestHeaders().getFirst(WebhookSender.SIGNATURE_HEADER));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Catalog catalog = new Catalog();
            Catalog.DataSource source = new Catalog.DataSource();
            source.id = 1;
            source.name = "Customers";
            source.handler = "PostgreSQL";
            catalog.dataSources.add(source);
            SimulatedImmuta immuta = new SimulatedImmuta(catalog, "key");
            immuta.registerWebhooks(Map.of("webhooks", List.of(Map.of("name", "hook", "global", true, "actionType", "triggered",
                    "url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    "notificationType", List.of("dataSourceUpdated"), "secret", "s3cret"))));

            List<Map<String, Object>> deliveries = new WebhookSender().deliver(immuta, immuta.setDisabled(1, true));

            assertThat(deliveries).singleElement().satisfies(delivery -> assertThat(delivery).containsEntry("status", 202));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(signature.get()).isEqualTo(HexFormat.of().formatHex(mac.doFinal(body.get())));
            assertThat(new String(body.get(), StandardCharsets.UTF_8))
                    .contains("\"notificationType\":\"dataSourceUpdated\"", "\"disabled\":true");
            assertThat(immuta.webhooks()).singleElement().satisfies(hook -> assertThat(hook).doesNotContainKey("secret"));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void recordsDeliveriesItCouldNotMakeAndMakesThemAgainOnRetry() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = receiver.getAddress().getPort();
        AtomicReference<byte[]> body = new AtomicReference<>();
        receiver.createContext("/hook", exchange -> {
            body.set(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        Catalog catalog = new Catalog();
        Catalog.DataSource source = new Catalog.DataSource();
        source.id = 1;
        source.name = "Customers";
        source.handler = "PostgreSQL";
        catalog.dataSources.add(source);
        SimulatedImmuta immuta = new SimulatedImmuta(catalog, "key");
        immuta.registerWebhooks(Map.of("webhooks", List.of(Map.of("name", "hook", "global", true, "actionType", "triggered",
                "url", "http://127.0.0.1:" + port + "/hook", "notificationType", List.of("dataSourceUpdated")))));
        WebhookSender sender = new WebhookSender();

        sender.deliver(immuta, immuta.setDisabled(1, true));
        Map<String, Object> failed = (Map<String, Object>) ((List<?>) immuta.deliveryHistory(true, 20, 0).get("records")).get(0);
        receiver.start();
        try {
            Map<String, Object> retried = sender.retry(immuta, immuta.delivery(((Number) failed.get("id")).longValue()).orElseThrow());

            assertThat(failed).doesNotContainKey("statusCode").containsEntry("notificationType", "dataSourceUpdated");
            assertThat(retried).containsEntry("statusCode", 202);
            assertThat(new String(body.get(), StandardCharsets.UTF_8)).contains("\"notificationType\":\"dataSourceUpdated\"");
            assertThat(immuta.deliveryHistory(true, 20, 0)).containsEntry("count", 1);
            assertThat(immuta.deliveryHistory(false, 20, 0)).containsEntry("count", 2);
        } finally {
            receiver.stop(0);
        }
    }
}
