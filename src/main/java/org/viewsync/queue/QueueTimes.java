package org.viewsync.queue;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;
import org.viewsync.immuta.ImmutaPushBackException;
import org.viewsync.config.ViewSyncProperties;

/**
 * The times of the durable queues (inbox, view tasks) and the leases, from this instance's clock: now, when a claim
 * expires, when coalesced work falls due, and when failed or postponed work is due again (exponential backoff with
 * jitter, capped).
 */
@Component("queueTimes")
public class QueueTimes {

    private final ViewSyncProperties.Queue queue;
    private final Duration circuitBreakerOpen;

    public QueueTimes(ViewSyncProperties properties, ImmutaProperties immuta) {
        this.queue = properties.getQueue();
        this.circuitBreakerOpen = Duration.ofSeconds(immuta.getCircuitBreaker().getOpenSeconds());
    }

    public Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    /** When a claim (or lease) taken now expires, letting another instance take the work over. */
    public Timestamp claimExpiry() {
        return Timestamp.from(Instant.now().plus(queue.getClaimTimeout()));
    }

    /** When a view task scheduled now is due: after the coalescing window, which gathers its duplicates. */
    public Timestamp coalesced() {
        return Timestamp.from(Instant.now().plus(queue.getCoalesceWindow()));
    }

    /** When work refused by the open Immuta circuit breaker is due again: once the breaker tries calls again. */
    public Timestamp afterCircuitBreakerOpens() {
        return Timestamp.from(Instant.now().plus(circuitBreakerOpen));
    }

    /** When work Immuta pushed back (429, 503) is due again: when Immuta said calls may come again. */
    public Timestamp afterPushBack(ImmutaPushBackException pushBack) {
        return Timestamp.from(pushBack.getRetryAt());
    }

    /** When work that failed as a whole (a requested reconciliation) is tried again: after the longest backoff. */
    public Timestamp afterMaxBackoff() {
        return Timestamp.from(Instant.now().plus(queue.getMaxBackoff()));
    }

    /** When to try again after the attempt that just failed, which followed {@code earlierAttempts} others. */
    public Timestamp nextAttemptAfter(int earlierAttempts) {
        int attempts = earlierAttempts + 1;
        long cap = queue.getMaxBackoff().toMillis();
        long exponential = queue.getInitialBackoff().toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long ceiling = Math.min(cap, exponential);
        // Half fixed, half random: spreads retries of a burst without ever retrying at once.
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Timestamp.from(Instant.now().plus(Duration.ofMillis(delay)));
    }

    /** Milliseconds from then until now: how long a request has waited. */
    public long millisSince(Timestamp then) {
        return Instant.now().toEpochMilli() - then.getTime();
    }
}
