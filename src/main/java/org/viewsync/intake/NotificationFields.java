package org.viewsync.intake;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;

/**
 * What the intake requires of a notification before it stores it: the fields each workflow reads, with the types it
 * reads them as. A notification type the hook is not subscribed to is not checked: it is acknowledged and ignored.
 */
@Component
public class NotificationFields {

    /** The integer ids each subscribed notification type's workflow needs. */
    private static final Map<String, List<String>> REQUIRED_IDS = Map.of(
            "dataSourceUpdated", List.of("modelId"),
            "addedToProject", List.of("modelId", "dataSourceId"),
            "removedFromProject", List.of("modelId", "dataSourceId"),
            "policyUpdated", List.of("modelId"),
            "projectEqualizationToggled", List.of("modelId"),
            "projectDisabled", List.of("modelId"),
            "modelDeleted", List.of("modelId"),
            "deletedDatasourceRemovedFromProject", List.of("modelId", "dataSourceId"),
            "expiredDatasourceRemovedFromProject", List.of("modelId", "dataSourceId"));

    /** The types whose workflow chooses by modelType. */
    private static final Set<String> MODEL_TYPED = Set.of("policyUpdated", "modelDeleted");

    private static final Pattern MODEL_TYPE = Pattern.compile("[A-Za-z]{1,64}");

    private final Set<String> subscribed;

    public NotificationFields(ViewSyncProperties properties) {
        this.subscribed = Set.copyOf(properties.getWebhook().getNotificationTypes());
    }

    /** Whether the hook subscribes to this type, so that a notification of it is stored and processed. */
    public boolean isSubscribed(Object notificationType) {
        return notificationType instanceof String type && subscribed.contains(type);
    }

    /** A short description of the first field that is missing or of the wrong type, or null when all are right. */
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
        // It is logged with the outcome: a word, never a line break or markup.
        if (modelType != null && !(modelType instanceof String word && MODEL_TYPE.matcher(word).matches())) {
            return "modelType must be a word of at most 64 letters";
        }
        if (notification.containsKey("fields") && notification.get("fields") != null && !(notification.get("fields") instanceof Map)) {
            return "fields must be an object";
        }
        return null;
    }

    /** Jackson reads JSON integers as Integer, Long or BigInteger; ids beyond a long are not ids. */
    private static boolean isId(Object value) {
        return (value instanceof Integer || value instanceof Long) && ((Number) value).longValue() > 0;
    }
}
