package org.viewsync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The state of a simulated Immuta tenant and its answers, shaped like Immuta's API. Every change returns the
 * notifications Immuta would send for it. Thread-safe: each method holds the instance's lock.
 */
public class SimulatedImmuta {

    private final Map<Long, Catalog.DataSource> dataSources = new LinkedHashMap<>();
    private final Map<Long, Catalog.Project> projects = new LinkedHashMap<>();
    private final Map<String, Catalog.Policy> globalPolicies = new LinkedHashMap<>();
    private final List<Map<String, Object>> webhooks = new ArrayList<>();
    private final List<Map<String, Object>> deliveries = new ArrayList<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final String apiKey;
    private long nextWebhookId = 1;
    private long nextDeliveryId = 1;

    public SimulatedImmuta(Catalog catalog, String apiKey) {
        catalog.dataSources.forEach(source -> dataSources.put(source.id, source));
        catalog.projects.forEach(project -> projects.put(project.id, project));
        this.apiKey = apiKey;
    }

    // --- authentication

    public Optional<String> authenticate(String key) {
        if (!apiKey.equals(key)) {
            return Optional.empty();
        }
        String token = java.util.UUID.randomUUID().toString();
        tokens.add(token);
        return Optional.of(token);
    }

    public boolean isValidToken(String token) {
        return token != null && tokens.contains(token);
    }

    // --- the API the service reads

    public synchronized Optional<Map<String, Object>> dataSource(long id) {
        return Optional.ofNullable(dataSources.get(id)).map(SimulatedImmuta::dataSourceJson);
    }

    /** {@code GET /project/{id}}: as Immuta's API describes it, without {@code isEqualized}. */
    public synchronized Optional<Map<String, Object>> project(long id) {
        return Optional.ofNullable(projects.get(id)).map(project -> {
            Map<String, Object> json = projectJson(project);
            json.remove("isEqualized");
            return json;
        });
    }

    /** {@code GET /project/{id}/checkEqualizationState}: {@code active} or {@code off}. */
    public synchronized Optional<Map<String, Object>> equalizationState(long id) {
        return Optional.ofNullable(projects.get(id)).map(project -> Map.of("equalizationState", project.equalized ? "active" : "off"));
    }

    /** {@code GET /project?isEqualized=&dataSourceId=&size=&offset=}. */
    public synchronized Map<String, Object> searchProjects(Boolean equalized, Long dataSourceId, int size, int offset) {
        List<Object> hits = projects.values().stream()
                .filter(p -> equalized == null || p.equalized == equalized)
                .filter(p -> dataSourceId == null || p.dataSources.contains(dataSourceId))
                .map(SimulatedImmuta::projectJson).collect(Collectors.toList());
        return page(hits, size, offset, "hits");
    }

    /** {@code GET /project/{id}/dataSources?size=&offset=}. */
    public synchronized Optional<Map<String, Object>> projectDataSources(long projectId, int size, int offset) {
        Catalog.Project project = projects.get(projectId);
        if (project == null) {
            return Optional.empty();
        }
        List<Object> entries = project.dataSources.stream().map(dataSources::get).map(source -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dataSourceId", source.id);
            entry.put("dataSourceName", source.name);
            entry.put("blobHandlerType", source.handler);
            entry.put("policyHandlerType", "None");
            entry.put("deleted", false);
            entry.put("subscriptionStatus", "owner");
            return (Object) entry;
        }).toList();
        return Optional.of(page(entries, size, offset, "dataSources"));
    }

    /** The policy-enforcing SELECT of a data source in a project; empty when the source is not in the project. */
    public synchronized Optional<String> viewSql(long dataSourceId, long projectId) {
        Catalog.DataSource source = dataSources.get(dataSourceId);
        Catalog.Project project = projects.get(projectId);
        if (source == null || project == null || !project.dataSources.contains(dataSourceId)) {
            return Optional.empty();
        }
        Set<String> masked = new LinkedHashSet<>(source.policy.masked);
        masked.addAll(project.policy.masked);
        globalPolicies.values().forEach(policy -> masked.addAll(policy.masked));
        String columns = source.columns.stream()
                .map(column -> masked.contains(column) ? "'REDACTED' AS " + column : column)
                .collect(Collectors.joining(", "));
        List<String> filters = new ArrayList<>();
        if (source.policy.rowFilter != null) {
            filters.add("(" + source.policy.rowFilter + ")");
        }
        if (project.policy.rowFilter != null) {
            filters.add("(" + project.policy.rowFilter + ")");
        }
        return Optional.of("SELECT " + columns + " FROM " + source.source + (filters.isEmpty() ? "" : " WHERE " + String.join(" AND ", filters)));
    }

    // --- webhooks

    /** {@code GET /webhooks}: each hook without its secret, its notification types as one comma-separated string. */
    public synchronized List<Map<String, Object>> webhooks() {
        return webhooks.stream().map(hook -> {
            Map<String, Object> listed = new LinkedHashMap<>(hook);
            listed.remove("secret");
            listed.put("notificationType", String.join(",", typesOf(hook)));
            return listed;
        }).toList();
    }

    /**
     * {@code POST /webhooks}: {@code {createdWebhooks, errors}}. Like Immuta, refuses a hook without
     * {@code url}, {@code notificationType} or {@code actionType}.
     */
    public synchronized Map<String, Object> registerWebhooks(Map<String, Object> request) {
        List<Map<String, Object>> created = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Object hooks = request.get("webhooks");
        if (!(hooks instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalStateException("\"webhooks\" must be a non-empty array");
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> hook)) {
                throw new IllegalStateException("each webhook must be an object");
            }
            for (String required : List.of("url", "notificationType", "actionType")) {
                if (hook.get(required) == null) {
                    throw new IllegalStateException("\"" + required + "\" is required");
                }
            }
            Map<String, Object> stored = new LinkedHashMap<>();
            hook.forEach((key, value) -> stored.put(String.valueOf(key), value));
            stored.put("id", nextWebhookId++);
            stored.put("createdBy", 1);
            webhooks.add(stored);
            Map<String, Object> answer = new LinkedHashMap<>(stored);
            answer.remove("notificationType");
            answer.remove("secret");
            created.add(answer);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("createdWebhooks", created);
        answer.put("errors", errors);
        return answer;
    }

    /** {@code DELETE /webhooks/{id}}: the deleted hook. */
    public synchronized Optional<Map<String, Object>> deleteWebhook(long id) {
        Optional<Map<String, Object>> hook = webhooks.stream().filter(h -> ((Number) h.get("id")).longValue() == id).findFirst();
        hook.ifPresent(webhooks::remove);
        return hook.map(deleted -> {
            Map<String, Object> answer = new LinkedHashMap<>(deleted);
            answer.remove("notificationType");
            answer.remove("secret");
            return answer;
        });
    }

    /** The hooks that subscribe to a notification type, with their secrets. */
    public synchronized List<Map<String, Object>> hooksFor(String notificationType) {
        return webhooks.stream().filter(hook -> typesOf(hook).contains(notificationType))
                .map(LinkedHashMap::new).map(hook -> (Map<String, Object>) hook).toList();
    }

    public synchronized Optional<Map<String, Object>> hook(long id) {
        return webhooks.stream().filter(h -> ((Number) h.get("id")).longValue() == id).findFirst().map(LinkedHashMap::new);
    }

    /** Records one delivery, as Immuta's webhook history does; answers its record. */
    public synchronized Map<String, Object> recordDelivery(Map<String, Object> hook, Map<String, Object> notification, Integer statusCode,
                                                          String body) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", nextDeliveryId++);
        record.put("webhooksId", hook.get("id"));
        record.put("name", hook.get("name"));
        record.put("url", hook.get("url"));
        record.put("actionType", hook.get("actionType"));
        record.put("notificationType", notification.get("notificationType"));
        // A delivery that got no answer (refused, timed out) has no status code.
        if (statusCode != null) {
            record.put("statusCode", statusCode);
        }
        record.put("createdAt", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString());
        record.put("request", Map.of("text", body));
        deliveries.add(record);
        return record;
    }

    /** {@code GET /webhooks/history}: newest first, optionally only failures, one page. */
    public synchronized Map<String, Object> deliveryHistory(boolean failuresOnly, int pageSize, int offset) {
        List<Object> records = new ArrayList<>();
        for (int i = deliveries.size() - 1; i >= 0; i--) {
            Map<String, Object> record = deliveries.get(i);
            boolean success = record.get("statusCode") instanceof Integer status && status >= 200 && status < 300;
            if (!failuresOnly || !success) {
                records.add(record);
            }
        }
        return page(records, pageSize, offset, "records");
    }

    /** The delivery recorded under this id, to be made again. */
    public synchronized Optional<Map<String, Object>> delivery(long id) {
        return deliveries.stream().filter(record -> ((Number) record.get("id")).longValue() == id).findFirst().map(LinkedHashMap::new);
    }

    private static List<String> typesOf(Map<String, Object> hook) {
        Object types = hook.get("notificationType");
        if (types instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return types == null ? List.of() : List.of(String.valueOf(types).split(","));
    }

    // --- changes, each answering the notifications Immuta sends for it

    public synchronized List<Map<String, Object>> addToProject(long projectId, long dataSourceId) {
        Catalog.Project project = requireProject(projectId);
        Catalog.DataSource source = requireDataSource(dataSourceId);
        if (!project.dataSources.contains(dataSourceId)) {
            project.dataSources.add(dataSourceId);
        }
        return List.of(membership("addedToProject", project, source));
    }

    public synchronized List<Map<String, Object>> removeFromProject(long projectId, long dataSourceId) {
        Catalog.Project project = requireProject(projectId);
        Catalog.DataSource source = requireDataSource(dataSourceId);
        project.dataSources.remove(dataSourceId);
        return List.of(membership("removedFromProject", project, source));
    }

    public synchronized List<Map<String, Object>> setDataSourcePolicy(long dataSourceId, Catalog.Policy policy) {
        Catalog.DataSource source = requireDataSource(dataSourceId);
        source.policy = policy;
        return List.of(dataSourcePolicyUpdated(source, false, Map.of()));
    }

    public synchronized List<Map<String, Object>> setProjectPolicy(long projectId, Catalog.Policy policy) {
        Catalog.Project project = requireProject(projectId);
        project.policy = policy;
        Map<String, Object> notification = notification("policyUpdated", "project", project.id);
        notification.put("projectName", project.name);
        notification.put("policyType", "subscription");
        notification.put("hasWorkspace", false);
        return List.of(notification);
    }

    /** Renames the project: Immuta sends projectUpdated. */
    public synchronized List<Map<String, Object>> renameProject(long projectId, String name) {
        Catalog.Project project = requireProject(projectId);
        project.name = name;
        Map<String, Object> notification = notification("projectUpdated", "project", project.id);
        notification.put("projectName", name);
        return List.of(notification);
    }

    public synchronized List<Map<String, Object>> setDisabled(long dataSourceId, boolean disabled) {
        Catalog.DataSource source = requireDataSource(dataSourceId);
        source.disabled = disabled;
        Map<String, Object> notification = notification("dataSourceUpdated", "datasource", source.id);
        notification.put("dataSourceName", source.name);
        notification.put("fields", Map.of("disabled", disabled, "handler", source.handler));
        return List.of(notification);
    }

    /** A global policy masks its columns in every data source that has them: one notification per such source. */
    public synchronized List<Map<String, Object>> applyGlobalPolicy(String name, Catalog.Policy policy) {
        globalPolicies.put(name, policy);
        return affectedBy(policy).stream().map(source -> dataSourcePolicyUpdated(source, true, Map.of("applied", List.of(name)))).toList();
    }

    public synchronized List<Map<String, Object>> removeGlobalPolicy(String name) {
        Catalog.Policy policy = globalPolicies.remove(name);
        if (policy == null) {
            return List.of();
        }
        return affectedBy(policy).stream().map(source -> dataSourcePolicyUpdated(source, true, Map.of("removed", List.of(name)))).toList();
    }

    private List<Catalog.DataSource> affectedBy(Catalog.Policy policy) {
        return dataSources.values().stream().filter(source -> source.columns.stream().anyMatch(policy.masked::contains)).toList();
    }

    private Catalog.Project requireProject(long id) {
        Catalog.Project project = projects.get(id);
        if (project == null) {
            throw new IllegalArgumentException("No project " + id);
        }
        return project;
    }

    private Catalog.DataSource requireDataSource(long id) {
        Catalog.DataSource source = dataSources.get(id);
        if (source == null) {
            throw new IllegalArgumentException("No data source " + id);
        }
        return source;
    }

    private static Map<String, Object> dataSourcePolicyUpdated(Catalog.DataSource source, boolean global, Map<String, Object> extra) {
        Map<String, Object> notification = notification("policyUpdated", "datasource", source.id);
        notification.put("dataSourceName", source.name);
        notification.put("triggeredByGlobal", global);
        notification.put("conflictCount", 0);
        notification.put("policyType", "data");
        notification.put("dataSourceType", "queryable");
        notification.put("notifyInitiator", global);
        notification.putAll(extra);
        return notification;
    }

    private static Map<String, Object> membership(String type, Catalog.Project project, Catalog.DataSource source) {
        Map<String, Object> notification = notification(type, "project", project.id);
        notification.put("dataSourceName", source.name);
        notification.put("dataSourceId", source.id);
        notification.put("projectName", project.name);
        return notification;
    }

    private static Map<String, Object> notification(String type, String modelType, long modelId) {
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("notificationType", type);
        notification.put("actionBy", 1);
        notification.put("modelType", modelType);
        notification.put("modelId", modelId);
        notification.put("targetUser", 1);
        notification.put("targetGroup", null);
        notification.put("actionByName", "Simulated Admin");
        notification.put("targetUserName", "Simulated Admin");
        return notification;
    }

    private static Map<String, Object> dataSourceJson(Catalog.DataSource source) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", source.id);
        json.put("name", source.name);
        json.put("sqlTableName", source.table);
        json.put("blobHandlerType", source.handler);
        json.put("disabled", source.disabled);
        json.put("deleted", false);
        json.put("status", source.disabled ? "disabled" : "enabled");
        return json;
    }

    private static Map<String, Object> projectJson(Catalog.Project project) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", project.id);
        json.put("name", project.name);
        json.put("status", "open");
        json.put("deleted", false);
        json.put("isEqualized", project.equalized);
        json.put("subscriptionType", "manual");
        json.put("subscriptionStatus", "owner");
        return json;
    }

    private static Map<String, Object> page(List<Object> items, int size, int offset, String field) {
        int from = Math.min(Math.max(offset, 0), items.size());
        int to = Math.min(items.size(), from + Math.max(size, 1));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("count", items.size());
        page.put(field, items.subList(from, to));
        return page;
    }
}
