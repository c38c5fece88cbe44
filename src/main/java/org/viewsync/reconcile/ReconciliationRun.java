package org.viewsync.reconcile;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bookkeeping of one reconciliation run: which views the targets lost or changed, which views Immuta wants,
 * and, at the end, the report. Shared by reference between the split branches of the reconciliation route.
 */
public class ReconciliationRun {

    private final Instant startedAt = Instant.now();
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    private final Set<String> drifted = ConcurrentHashMap.newKeySet();
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Set<String> unwanted = ConcurrentHashMap.newKeySet();
    /** The views the targets hold as recorded: pair -> target name -> record (viewName, sqlHash). */
    private final Map<String, Map<String, Map<String, Object>>> intact = new ConcurrentHashMap<>();
    private final Set<String> uncheckedTargets = ConcurrentHashMap.newKeySet();
    /** Data sources already fetched in this run: each is in many projects, Immuta is asked once. */
    private final Map<String, Map<String, Object>> dataSources = new ConcurrentHashMap<>();

    public Timestamp getStartedAt() {
        return Timestamp.from(startedAt);
    }

    /**
     * Compares one target's managed views with the views it actually holds; answers the managed records whose view
     * is gone or was edited, which the route then forgets so that the next apply writes them again.
     */
    public List<Map<String, Object>> driftedRecords(String targetName, Collection<Map<String, Object>> managed,
                                                    Collection<Map<String, Object>> actual, org.viewsync.view.Hashes hashes) {
        Map<String, String> definitions = new LinkedHashMap<>();
        for (Map<String, Object> view : actual) {
            definitions.put(String.valueOf(view.get("viewName")), String.valueOf(view.get("definition")));
        }
        List<Map<String, Object>> lost = new ArrayList<>();
        for (Map<String, Object> record : managed) {
            String pair = pair(record.get("projectId"), record.get("dataSourceId"));
            recorded.add(pair);
            String definition = definitions.get(String.valueOf(record.get("viewName")));
            if (definition == null) {
                missing.add(pair);
                lost.add(record);
            } else if (record.get("definitionHash") != null && !hashes.sha256(definition).equals(record.get("definitionHash"))) {
                drifted.add(pair);
                lost.add(record);
            } else {
                keepIntact(pair, targetName, record);
            }
        }
        return lost;
    }

    /** A target whose views could not be listed: its records count as intact, and the report names it. */
    public void uncheckedTarget(String targetName, Collection<Map<String, Object>> managed) {
        uncheckedTargets.add(targetName);
        for (Map<String, Object> record : managed) {
            String pair = pair(record.get("projectId"), record.get("dataSourceId"));
            recorded.add(pair);
            keepIntact(pair, targetName, record);
        }
    }

    private void keepIntact(String pair, String targetName, Map<String, Object> record) {
        intact.computeIfAbsent(pair, key -> new ConcurrentHashMap<>()).put(targetName, record);
    }

    /** The record of the pair's view on the target, when the target holds that view as recorded; else null. */
    public Map<String, Object> intactView(Object projectId, Object dataSourceId, String targetName) {
        return intact.getOrDefault(pair(projectId, dataSourceId), Map.of()).get(targetName);
    }

    /** The intact records of the pair's views, on every target. */
    public Collection<Map<String, Object>> intactViews(Object projectId, Object dataSourceId) {
        return intact.getOrDefault(pair(projectId, dataSourceId), Map.of()).values();
    }

    public Map<String, Object> dataSource(Object dataSourceId) {
        return dataSources.get(String.valueOf(dataSourceId));
    }

    public void rememberDataSource(Object dataSourceId, Map<String, Object> dataSource) {
        if (dataSource != null) {
            dataSources.put(String.valueOf(dataSourceId), dataSource);
        }
    }

    /** Immuta wants a view for this pair. */
    public void want(Object projectId, Object dataSourceId) {
        wanted.add(pair(projectId, dataSourceId));
    }

    /** The managed pairs Immuta no longer wants, from all managed pairs. */
    public List<Map<String, Object>> unwantedOf(Collection<Map<String, Object>> managedPairs) {
        List<Map<String, Object>> drop = new ArrayList<>();
        for (Map<String, Object> record : managedPairs) {
            String pair = pair(record.get("projectId"), record.get("dataSourceId"));
            if (!wanted.contains(pair) && unwanted.add(pair)) {
                drop.add(record);
            }
        }
        return drop;
    }

    /** The report, from the pairs whose view was written during the run and those whose task failed. */
    public Map<String, Object> finish(Collection<Map<String, Object>> appliedPairs, Collection<Map<String, Object>> failedPairs) {
        int created = 0;
        int replaced = 0;
        for (Map<String, Object> record : appliedPairs) {
            String pair = pair(record.get("projectId"), record.get("dataSourceId"));
            if (!recorded.contains(pair) || missing.contains(pair)) {
                created++;
            } else {
                replaced++;
            }
        }
        int failed = (int) failedPairs.stream().map(r -> pair(r.get("projectId"), r.get("dataSourceId")))
                .filter(pair -> wanted.contains(pair) || unwanted.contains(pair)).count();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("startedAt", startedAt.toString());
        result.put("durationMs", Duration.between(startedAt, Instant.now()).toMillis());
        result.put("wanted", wanted.size());
        result.put("created", created);
        result.put("replaced", replaced);
        result.put("dropped", unwanted.size());
        result.put("unchanged", Math.max(0, wanted.size() - created - replaced - failed));
        result.put("failed", failed);
        result.put("missingInTarget", missing.size());
        result.put("editedInTarget", drifted.size());
        result.put("uncheckedTargets", new TreeSet<>(uncheckedTargets));
        return result;
    }

    private static String pair(Object projectId, Object dataSourceId) {
        return String.valueOf(projectId) + ":" + String.valueOf(dataSourceId);
    }
}
