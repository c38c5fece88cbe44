package org.viewsync.reconcile;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.viewsync.targets.Target;
import org.viewsync.targets.Targets;
import org.viewsync.view.Hashes;
import org.viewsync.view.ViewNaming;

/** Starts reconciliation runs and gives the routes their bookkeeping steps (see {@link ReconciliationRun}). */
@Component("reconciliation")
public class Reconciliation {

    private final Hashes hashes;
    private final Targets targets;
    private final ViewNaming viewNaming;

    public Reconciliation(Hashes hashes, Targets targets, ViewNaming viewNaming) {
        this.hashes = hashes;
        this.targets = targets;
        this.viewNaming = viewNaming;
    }

    public ReconciliationRun start() {
        return new ReconciliationRun();
    }

    /** What a run answers when another instance holds the lease. */
    public Map<String, Object> skipped() {
        return Map.of("skipped", "another instance is reconciling");
    }

    /** The target's records whose view is gone or was edited; none when the target's views could not be listed. */
    public List<Map<String, Object>> driftedRecords(ReconciliationRun run, String targetName, Collection<Map<String, Object>> managed,
                                                    Collection<Map<String, Object>> actual) {
        if (actual == null) {
            run.uncheckedTarget(targetName, managed);
            return List.of();
        }
        return run.driftedRecords(targetName, managed, actual, hashes);
    }

    /**
     * Whether every target serving the data source holds the pair's view, as recorded and under the name it would get
     * now (a renamed project or table renames its views). Only then is Immuta's SQL worth comparing with the record;
     * otherwise the view is scheduled without asking.
     */
    public boolean intactOnEveryTarget(ReconciliationRun run, Object projectId, Object dataSourceId,
                                       Map<String, Object> project, Map<String, Object> dataSource) {
        List<Target> serving = targets.forHandler((String) dataSource.get("blobHandlerType"));
        for (Target target : serving) {
            Map<String, Object> record = run.intactView(projectId, dataSourceId, target.name());
            if (record == null) {
                return false;
            }
            String name = viewNaming.name(target, (String) project.get("name"), (String) dataSource.get("sqlTableName"));
            String recordedName = String.valueOf(record.get("viewName"));
            if (!recordedName.equals(name) && !recordedName.equals(viewNaming.distinctName(target, name,
                    Long.parseLong(String.valueOf(projectId)), Long.parseLong(String.valueOf(dataSourceId))))) {
                return false;
            }
        }
        return !serving.isEmpty();
    }

    /** Whether each of the pair's intact views was written from this SQL; false without SQL (Immuta failed or has none). */
    public boolean holdsViewSql(ReconciliationRun run, Object projectId, Object dataSourceId, String viewSql) {
        if (viewSql == null) {
            return false;
        }
        String sqlHash = hashes.sha256(viewSql);
        return run.intactViews(projectId, dataSourceId).stream().allMatch(record -> sqlHash.equals(record.get("sqlHash")));
    }

    /** The data source as this run fetched it already, or null. */
    public Map<String, Object> knownDataSource(ReconciliationRun run, Object dataSourceId) {
        return run.dataSource(dataSourceId);
    }

    public void rememberDataSource(ReconciliationRun run, Object dataSourceId, Map<String, Object> dataSource) {
        run.rememberDataSource(dataSourceId, dataSource);
    }

    public void want(ReconciliationRun run, Object projectId, Object dataSourceId) {
        run.want(projectId, dataSourceId);
    }

    public List<Map<String, Object>> unwantedOf(ReconciliationRun run, Collection<Map<String, Object>> managedPairs) {
        return run.unwantedOf(managedPairs);
    }

    public Map<String, Object> finish(ReconciliationRun run, Collection<Map<String, Object>> applied, Collection<Map<String, Object>> failed) {
        return run.finish(applied, failed);
    }
}
