package org.viewsync.reconcile;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.viewsync.view.Hashes;

/** Starts reconciliation runs and gives the routes their bookkeeping steps (see {@link ReconciliationRun}). */
@Component("reconciliation")
public class Reconciliation {

    private final Hashes hashes;

    public Reconciliation(Hashes hashes) {
        this.hashes = hashes;
    }

    public ReconciliationRun start() {
        return new ReconciliationRun();
    }

    /** What a run answers when another instance holds the lease. */
    public Map<String, Object> skipped() {
        return Map.of("skipped", "another instance is reconciling");
    }

    public List<Map<String, Object>> driftedRecords(ReconciliationRun run, Collection<Map<String, Object>> managed,
                                                    Collection<Map<String, Object>> actual) {
        return run.driftedRecords(managed, actual, hashes);
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
