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
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final String apiKey;
    private long nextWebhookId = 1;

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

    public synchronized Optional<Map<String, Object>> project(long id) {
        return Optional.ofNullable(projects.get(id)).map(SimulatedImmuta::projectJson);
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

    public synchronized List<Map<String, Object>> webhooks() {
        return webhooks.stream().map(hook -> {
            Map<String, Object> copy = new LinkedHashMap<>(hook);
            copy.remove("secret");
            return copy;
        }).toList();
    }

    @SuppressWarnings("unchecked")
    public synchronized List<Map<String, Object>> registerWebhooks(Map<String, Object> request) {
        List<Map<String, Object>> created = new ArrayList<>();
        for (Map<String, Object> hook : (List<Map<String, Object>>) request.get("webhooks")) {
            Map<String, Object> stored = new LinkedHashMap<>(hook);
            stored.put("id", nextWebhookId++);
            webhooks.add(stored);
            created.add(Map.of("id", stored.get("id")));
        }
        return created;
    }

    public synchronized boolean deleteWebhook(long id) {
        return webhooks.removeIf(hook -> ((Number) hook.get("id")).longValue() == id);
    }

    /** The hooks that subscribe to a notification type, with their secrets. */
    @SuppressWarnings("unchecked")
    public synchronized List<Map<String, Object>> hooksFor(String notificationType) {
        return webhooks.stream().filter(hook -> ((List<String>) hook.getOrDefault("notificationType", List.of())).contains(notificationType))
                .map(LinkedHashMap::new).map(hook -> (Map<String, Object>) hook).toList();
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
