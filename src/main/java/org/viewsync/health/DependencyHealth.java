package org.viewsync.health;

import org.springframework.boot.actuate.health.Status;

/**
 * The status of a dependency the service works around rather than stops for: while Immuta or a target is unreachable
 * the intake keeps acknowledging into the inbox and the work waits, so the instance must stay in service. Reported in
 * the readiness group for operators to see; answered 200 (see management.endpoint.health.status in application.yaml).
 */
final class DependencyHealth {

    static final Status DEGRADED = new Status("DEGRADED", "unreachable; work waits in the queues and resumes when it is back");

    private DependencyHealth() {
    }
}
