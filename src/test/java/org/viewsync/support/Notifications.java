package org.viewsync.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** Webhook bodies shaped like the examples in Immuta's "Generate Views with Webhooks" guide. */
public final class Notifications {

    private Notifications() {
    }

    public static String dataSourceUpdated(long dataSourceId, boolean disabled) {
        Map<String, Object> body = base("dataSourceUpdated", "datasource", dataSourceId);
        body.put("dataSourceName", "Customer");
        body.put("fields", Map.of("disabled", disabled, "handler", "PostgreSQL"));
        return FakeImmuta.json(body);
    }

    public static String addedToProject(long dataSourceId, long projectId) {
        return projectMembership("addedToProject", dataSourceId, projectId);
    }

    public static String removedFromProject(long dataSourceId, long projectId) {
        return projectMembership("removedFromProject", dataSourceId, projectId);
    }

    public static String dataSourcePolicyUpdated(long dataSourceId) {
        Map<String, Object> body = base("policyUpdated", "datasource", dataSourceId);
        body.put("dataSourceName", "Customer");
        body.put("triggeredByGlobal", false);
        body.put("conflictCount", 0);
        body.put("policyType", "data");
        body.put("handlerId", 4);
        body.put("previousHandlerId", null);
        body.put("dataSourceType", "queryable");
        body.put("notifyInitiator", false);
        return FakeImmuta.json(body);
    }

    public static String projectPolicyUpdated(long projectId) {
        Map<String, Object> body = base("policyUpdated", "project", projectId);
        body.put("projectName", "Demo Project");
        body.put("policyType", "subscription");
        body.put("hasWorkspace", false);
        return FakeImmuta.json(body);
    }

    public static String projectCreated(long projectId) {
        Map<String, Object> body = base("modelCreated", "project", projectId);
        body.put("projectName", "Demo Project");
        return FakeImmuta.json(body);
    }

    /** A notification of a type beyond the guide's four, about a project or a data source. */
    public static String other(String type, String modelType, long modelId, Long dataSourceId) {
        Map<String, Object> body = base(type, modelType, modelId);
        if (dataSourceId != null) {
            body.put("dataSourceId", dataSourceId);
        }
        return FakeImmuta.json(body);
    }

    private static String projectMembership(String type, long dataSourceId, long projectId) {
        Map<String, Object> body = base(type, "project", projectId);
        body.put("dataSourceName", "Case");
        body.put("dataSourceId", dataSourceId);
        body.put("projectName", "Demo Project");
        return FakeImmuta.json(body);
    }

    private static Map<String, Object> base(String type, String modelType, long modelId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notificationType", type);
        body.put("actionBy", 1);
        body.put("modelType", modelType);
        body.put("modelId", modelId);
        body.put("targetUser", 1);
        body.put("targetGroup", null);
        body.put("actionByName", "John Doe");
        body.put("targetUserName", "John Doe");
        return body;
    }
}
