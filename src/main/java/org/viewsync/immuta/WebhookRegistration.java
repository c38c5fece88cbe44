package org.viewsync.immuta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;

/** Shapes the webhook registration: whether Immuta already has our hook, and the request that adds it. */
@Component("webhookRegistration")
public class WebhookRegistration {

    private final ViewSyncProperties.Webhook webhook;

    public WebhookRegistration(ViewSyncProperties properties) {
        this.webhook = properties.getWebhook();
    }

    /** Our hook (same name and URL) in the answer of {@code GET /webhooks} (a list, or {@code {hits: [...]}}); null if none. */
    public Map<?, ?> ours(Object webhooks) {
        return hooks(webhooks).stream().filter(hook -> hook instanceof Map<?, ?> map
                        && webhook.getName().equals(map.get("name")) && webhook.getUrl().equals(map.get("url")))
                .map(hook -> (Map<?, ?>) hook).findFirst().orElse(null);
    }

    /** Whether a registered hook lacks some of the notification types we now subscribe to. */
    public boolean lacksTypes(Map<?, ?> hook) {
        return !(hook.get("notificationType") instanceof List<?> types) || !types.containsAll(webhook.getNotificationTypes());
    }

    /** The body of {@code POST /webhooks}: one global hook for the configured notification types. */
    public Map<String, Object> request() {
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("name", webhook.getName());
        hook.put("url", webhook.getUrl());
        hook.put("global", true);
        hook.put("notificationType", webhook.getNotificationTypes());
        if (!webhook.getSecret().isEmpty()) {
            hook.put("secret", webhook.getSecret());
        }
        return Map.of("webhooks", List.of(hook));
    }

    private static List<?> hooks(Object webhooks) {
        if (webhooks instanceof List<?> list) {
            return list;
        }
        if (webhooks instanceof Map<?, ?> map && map.get("hits") instanceof List<?> hits) {
            return hits;
        }
        throw new IllegalStateException("Immuta's webhook list is neither a list nor {hits: [...]}");
    }
}
