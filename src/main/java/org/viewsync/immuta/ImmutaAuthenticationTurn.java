package org.viewsync.immuta;

import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * One authentication with Immuta at a time per instance (route immuta-renew-token): the calls that find their token
 * refused, or no token yet, take turns, and each checks in its turn whether an earlier one already got a new token.
 * When an authentication fails, the calls that were waiting for it fail with its error instead of each trying again
 * (and each waiting up to the response timeout) while holding their call slots.
 */
@Component("immutaAuthenticationTurn")
public class ImmutaAuthenticationTurn {

    private final Semaphore turn = new Semaphore(1, true);
    private volatile long failedAuthentications;
    private volatile Exception lastFailure;

    /**
     * Waits for the turn and takes it; the caller must {@link #release} it.
     *
     * @throws IllegalStateException with the error of an authentication that failed while this call waited
     */
    public void acquire() throws InterruptedException {
        long failedBefore = failedAuthentications;
        turn.acquire();
        if (failedAuthentications > failedBefore) {
            Exception failure = lastFailure;
            turn.release();
            throw new IllegalStateException("authentication with Immuta failed while this call waited for it: " + failure.getMessage(), failure);
        }
    }

    /** Gives the turn back; {@code failure} is the error of this turn's authentication, or null. */
    public void release(Exception failure) {
        if (failure != null) {
            lastFailure = failure;
            failedAuthentications++;
        }
        turn.release();
    }
}
