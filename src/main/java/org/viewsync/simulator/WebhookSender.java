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
 * {@code x-immuta-webhook-signature-sha256}.
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
                deliveries.add(deliver(hook, notification));
            }
        }
        return deliveries;
    }

    private Map<String, Object> deliver(Map<String, Object> hook, Map<String, Object> notification) {
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("hook", hook.get("name"));
        delivery.put("notificationType", notification.get("notificationType"));
        delivery.put("modelId", notification.get("modelId"));
        try {
            byte[] body = json.writeValueAsBytes(notification);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((String) hook.get("url"))).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            Object secret = hook.get("secret");
            if (secret instanceof String key && !key.isEmpty()) {
                request.header(SIGNATURE_HEADER, sign(key, body));
            }
            delivery.put("status", http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery.put("error", "interrupted");
        } catch (Exception e) {
            delivery.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return delivery;
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
