package org.viewsync.immuta;

import java.time.Instant;

/**
 * Immuta pushed back (429 or 503), or asked for no calls until {@link #getRetryAt()}: the work that called is
 * postponed until then without using up an attempt.
 */
public class ImmutaPushBackException extends RuntimeException {

    private final Instant retryAt;

    public ImmutaPushBackException(Instant retryAt, String message) {
        super(message);
        this.retryAt = retryAt;
    }

    public Instant getRetryAt() {
        return retryAt;
    }
}
