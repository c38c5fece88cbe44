package org.viewsync.preflight;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;

/**
 * Runs the preflight once the service has started and logs its table: INFO when every check passes, WARN with the
 * fixes when one fails. (With {@code --preflight} the service runs it instead of starting, see ViewSyncApplication.)
 */
@Component
public class PreflightRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PreflightRunner.class);

    private final Preflight preflight;
    private final boolean atStart;

    public PreflightRunner(Preflight preflight, ViewSyncProperties properties) {
        this.preflight = preflight;
        this.atStart = properties.getPreflight().isAtStart();
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        if (!atStart) {
            return;
        }
        // Not on the start-up thread: Immuta and the targets may be slow to answer, and the service is ready meanwhile.
        Thread thread = new Thread(() -> {
            try {
                PreflightReport report = preflight.run();
                if (report.isPassed()) {
                    LOG.info("{}", report.table());
                } else {
                    LOG.warn("{}", report.table());
                }
            } catch (RuntimeException e) {
                LOG.warn("The preflight could not run: {}", e.getMessage());
            }
        }, "preflight");
        thread.setDaemon(true);
        thread.start();
    }
}
