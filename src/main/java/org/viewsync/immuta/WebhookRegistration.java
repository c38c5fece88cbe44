package org.viewsync.immuta;

import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;

/**
 * Shapes the webhook registration: whether Immuta already has our hook, the request that adds it, and what Immuta's
 * answer says. Refuses to start with a webhook URL no real Immuta could reach.
 */
@Component("webhookRegistration")
public class WebhookRegistration {

    private final ViewSyncProperties.Webhook webhook;

    public WebhookRegistration(ViewSyncProperties properties, @Value("${viewsync.simulator.enabled:false}") boolean simulator) {
        this.webhook = properties.getWebhook();
        if (!simulator) {
            requireReachableUrl(webhook);
        }
    }

    /** Our hook (same name and URL) in the answer of {@code GET /webhooks} (a list, or {@code {hits: [...]}}); null if none. */
    public Map<?, ?> ours(Object webhooks) {
        return hooks(webhooks).stream().filter(hook -> hook instanceof Map<?, ?> map
                        && webhook.getName().equals(map.get("name")) && webhook.getUrl().equals(map.get("url")))
                .map(hook -> (Map<?, ?>) hook).findFirst().orElse(null);
    }

    /**
     * Whether a registered hook lacks some of the notification types we now subscribe to. Immuta's API description
     * gives a hook's {@code notificationType} as a string, its guide shows a list: either is read, a string as a
     * comma-separated list.
     */
    public boolean lacksTypes(Map<?, ?> hook) {
        return !typesOf(hook.get("notificationType")).containsAll(webhook.getNotificationTypes());
    }

    /** The body of {@code POST /webhooks}: one global hook for the configured notification types. */
    public Map<String, Object> request() {
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("name", webhook.getName());
        hook.put("url", webhook.getUrl());
        hook.put("global", true);
        hook.put("actionType", webhook.getActionType());
        hook.put("notificationType", webhook.getNotificationTypes());
        if (!webhook.getSecret().isEmpty()) {
            hook.put("secret", webhook.getSecret());
        }
        return Map.of("webhooks", List.of(hook));
    }

    /**
     * Why Immuta's answer to {@code POST /webhooks} ({@code {createdWebhooks, errors}}) is not a registration of our
     * hook, in Immuta's own words; null when it created it.
     */
    public String refusal(Object answer) {
        if (answer instanceof Map<?, ?> map) {
            if (map.get("errors") instanceof Collection<?> errors && !errors.isEmpty()) {
                return "Immuta refused the webhook: " + ImmutaApiException.quoted(String.join("; ", errors.stream().map(String::valueOf).toList()));
            }
            if (map.get("createdWebhooks") instanceof Collection<?> created && !created.isEmpty()) {
                return null;
            }
        } else if (answer instanceof Collection<?> created && !created.isEmpty()) {
            return null;
        }
        return "Immuta's answer created no webhook: " + ImmutaApiException.quoted(String.valueOf(answer));
    }

    /** The hook Immuta's answer says it created (its first {@code createdWebhooks} item), with our name and URL. */
    public Map<String, Object> created(Object answer) {
        Object created = answer instanceof Map<?, ?> map ? map.get("createdWebhooks") : answer;
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("name", webhook.getName());
        hook.put("url", webhook.getUrl());
        if (created instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
            first.forEach((key, value) -> hook.putIfAbsent(String.valueOf(key), value));
        }
        return hook;
    }

    private static List<String> typesOf(Object types) {
        if (types instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (types instanceof String text) {
            return Arrays.stream(text.replaceAll("[\\[\\]\"]", "").split(",")).map(String::trim).filter(type -> !type.isEmpty()).toList();
        }
        return List.of();
    }

    private static List<?> hooks(Object webhooks) {
        if (webhooks instanceof List<?> list) {
            return list;
        }
        if (webhooks instanceof Map<?, ?> map && map.get("hits") instanceof List<?> hits) {
            return hits;
        }
        throw new IllegalStateException("Immuta's webhook list is neither a list nor {hits: [...]}: "
                + ImmutaApiException.quoted(String.valueOf(webhooks)));
    }

    /** A real Immuta cannot deliver to this machine's loopback: starting so would receive nothing, silently. */
    private static void requireReachableUrl(ViewSyncProperties.Webhook webhook) {
        String url = webhook.getUrl() == null ? "" : webhook.getUrl().trim();
        if (url.isEmpty()) {
            throw new IllegalStateException("VIEWSYNC_WEBHOOK_URL (viewsync.webhook.url) is not set: set it to the URL at which"
                    + " Immuta reaches this service, e.g. https://viewsync.example.com/immuta/webhook");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("VIEWSYNC_WEBHOOK_URL (viewsync.webhook.url) '" + url + "' is not a URL: " + e.getMessage());
        }
        if (uri.getHost() == null || !(("http".equals(uri.getScheme())) || "https".equals(uri.getScheme()))) {
            throw new IllegalStateException("VIEWSYNC_WEBHOOK_URL (viewsync.webhook.url) '" + url + "' is not an http(s) URL with a host");
        }
        if (!webhook.isAllowLoopback() && isLoopback(uri.getHost())) {
            throw new IllegalStateException("VIEWSYNC_WEBHOOK_URL (viewsync.webhook.url) '" + url + "' points at this machine, where"
                    + " Immuta cannot deliver: set it to the URL at which Immuta reaches this service, e.g."
                    + " https://viewsync.example.com/immuta/webhook (or VIEWSYNC_WEBHOOK_ALLOWLOOPBACK=true for an Immuta on this host)");
        }
    }

    private static boolean isLoopback(String host) {
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (name.equalsIgnoreCase("localhost") || name.toLowerCase().endsWith(".localhost")) {
            return true;
        }
        // Only literal addresses are judged: resolving a name at start would make start-up depend on DNS.
        if (name.matches("[0-9.]+") || name.contains(":")) {
            try {
                InetAddress address = InetAddress.getByName(name);
                return address.isLoopbackAddress() || address.isAnyLocalAddress();
            } catch (Exception notAnAddress) {
                return false;
            }
        }
        return false;
    }
}
