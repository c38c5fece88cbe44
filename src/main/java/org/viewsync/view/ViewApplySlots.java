package org.viewsync.view;

import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;

/**
 * The view tasks that check their SQL, run their DDL and write their records at once, per instance
 * ({@code viewsync.processing.apply-concurrency}): the view-task routes take a slot after the view-SQL call and give it
 * back when done, so that many tasks can wait on Immuta while only a few use the cores and the targets.
 */
@Component("viewApplySlots")
public class ViewApplySlots {

    private final Semaphore slots;

    public ViewApplySlots(ViewSyncProperties properties) {
        this.slots = new Semaphore(properties.getProcessing().getApplyConcurrency(), true);
    }

    /** Waits for a slot and takes it; the caller must {@link #release} it. */
    public void acquire() throws InterruptedException {
        slots.acquire();
    }

    public void release() {
        slots.release();
    }
}
