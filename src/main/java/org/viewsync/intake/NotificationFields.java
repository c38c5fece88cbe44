package org.viewsync.intake;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;

/**
 * What each workflow reads of a notification, with the types it reads them as. A notification that lacks one of them
 * is still stored (Immuta never sends it again); the dispatch then reconciles the model it names instead.
 */
@Component
public class NotificationFields {

    /** The integer ids each subscribed notification type's workflow needs. */
    private static final Map<String, List<String>> REQUIRED_IDS = Map.ofEntries(
            Map.entry("dataSourceUpdated", List.of("modelId")),
            Map.entry("dataSourceExpired", List.of("modelId")),
            Map.entry("addedToProject", List.of("modelId", "dataSourceId")),
            Map.entry("removedFromProject", List.of("modelId", "dataSourceId")),
            Map.entry("policyUpdated", List.of("modelId")),
            Map.entry("projectUpdated", List.of("modelId")),
            Map.entry("projectEqualizationToggled", List.of("modelId")),
            Map.entry("projectDisabled", List.of("modelId")),
            Map.entry("modelDeleted", List.of("modelId")),
            Map.entry("deletedDatasourceRemovedFromProject", List.of("modelId", "dataSourceId")),
            Map.entry("expiredDatasourceRemovedFromProject", List.of("modelId", "dataSourceId")));

    /** The types whose workflow chooses by modelType. */
    private static final Set<String> MODEL_TYPED = Set.of("policyUpdated", "modelDeleted");

    private static final Pattern WORD = Pattern.compile("[A-Za-z]{1,64}");

    private final Set<String> subscribed;

    public NotificationFields(ViewSyncProperties properties) {
        this.subscribed = Set.copyOf(properties.getWebhook().getNotificationTypes());
    }

    /** Whether the hook subscribes to this type, so that a notification of it is stored and processed. */
    public boolean isSubscribed(Object notificationType) {
        return notificationType instanceof String type && subscribed.contains(type);
    }

    /** A short description of the first field its workflow needs that is missing or of the wrong type; null when all are right. */
    public String problem(Map<String, Object> notification) {
        String type = (String) notification.get("notificationType");
        for (String id : REQUIRED_IDS.getOrDefault(type, List.of())) {
            if (!isId(notification.get(id))) {
                return id + " must be a positive integer";
            }
        }
        Object modelType = notification.get("modelType");
        if (MODEL_TYPED.contains(type) && !(modelType instanceof String)) {
            return "modelType must be a string";
        }
        if (modelType != null && !isWord(modelType)) {
            return "modelType must be a word of at most 64 letters";
        }
        if (notification.get("fields") != null && !(notification.get("fields") instanceof Map)) {
            return "fields must be an object";
        }
        return null;
    }

    /**
     * The model a notification names, for reconciling it when its workflow cannot run: {@code project} or
     * {@code datasource} when its modelType says so and its modelId is an id; null when it names none.
     */
    public String namedModel(Map<String, Object> notification) {
        if (!isId(notification.get("modelId")) || !isWord(notification.get("modelType"))) {
            return null;
        }
        String modelType = ((String) notification.get("modelType")).toLowerCase();
        return modelType.equals("project") || modelType.equals("datasource") ? modelType : null;
    }

    /** The notification for a log line: its type and the model it names, each shown only when it is a plain word or id. */
    public String describe(Map<String, Object> notification) {
        Object type = notification.get("notificationType");
        Object modelType = notification.get("modelType");
        Object modelId = notification.get("modelId");
        return (isSubscribed(type) ? type : "notification") + " for " + (isWord(modelType) ? modelType : "model") + " "
                + (isId(modelId) ? modelId : "?");
    }

    /** Jackson reads JSON integers as Integer, Long or BigInteger; ids beyond a long are not ids. */
    private static boolean isId(Object value) {
        return (value instanceof Integer || value instanceof Long) && ((Number) value).longValue() > 0;
    }

    /** It is logged: a word, never a line break or markup. */
    private static boolean isWord(Object value) {
        return value instanceof String word && WORD.matcher(word).matches();
    }
}
