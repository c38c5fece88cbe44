package org.viewsync.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers notifications to the registered hooks as Immuta does: one POST per hook with the JSON body, a 10 second
 * timeout, and, when the hook has a secret, the hex HMAC-SHA256 of the raw body in
 * {@code x-immuta-webhook-signature-sha256}. Every delivery is recorded in the simulator's webhook history, from which
 * it can be made again.
 */
public class WebhookSender {

    public static final String SIGNATURE_HEADER = "x-immuta-webhook-signature-sha256";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    /** Sends each notification to each hook that subscribes to its type; answers what each delivery got back. */
    public List<Map<String, Object>> deliver(SimulatedImmuta immuta, List<Map<String, Object>> notifications) {
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (Map<String, Object> notification : notifications) {
            String type = (String) notification.get("notificationType");
            for (Map<String, Object> hook : immuta.hooksFor(type)) {
                deliveries.add(deliver(immuta, hook, notification));
            }
        }
        return deliveries;
    }

    /** Makes a recorded delivery again, as Immuta's {@code POST /webhooks/history/retry/{id}} does; answers the new record. */
    public Map<String, Object> retry(SimulatedImmuta immuta, Map<String, Object> record) {
        Map<String, Object> hook = immuta.hook(((Number) record.get("webhooksId")).longValue())
                .orElseThrow(() -> new IllegalArgumentException("No webhook " + record.get("webhooksId")));
        String body = String.valueOf(((Map<?, ?>) record.get("request")).get("text"));
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> notification = json.readValue(body, Map.class);
            return send(immuta, hook, notification, body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("The recorded delivery " + record.get("id") + " holds no notification", e);
        }
    }

    private Map<String, Object> deliver(SimulatedImmuta immuta, Map<String, Object> hook, Map<String, Object> notification) {
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("hook", hook.get("name"));
        delivery.put("notificationType", notification.get("notificationType"));
        delivery.put("modelId", notification.get("modelId"));
        try {
            send(immuta, hook, notification, json.writeValueAsBytes(notification), delivery);
        } catch (java.io.IOException e) {
            delivery.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return delivery;
    }

    /** One POST of the body to the hook, recorded in the simulator's webhook history. */
    private Map<String, Object> send(SimulatedImmuta immuta, Map<String, Object> hook, Map<String, Object> notification, byte[] body,
                                     Map<String, Object> delivery) {
        Integer status = null;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((String) hook.get("url"))).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            Object secret = hook.get("secret");
            if (secret instanceof String key && !key.isEmpty()) {
                request.header(SIGNATURE_HEADER, sign(key, body));
            }
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            delivery.put("status", status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery.put("error", "interrupted");
        } catch (Exception e) {
            delivery.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return immuta.recordDelivery(hook, notification, status, new String(body, StandardCharsets.UTF_8));
    }

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
