package org.viewsync.immuta;

import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * One authentication with Immuta at a time per instance (route immuta-renew-token): the calls that find their token
 * refused, or no token yet, take turns, and each checks in its turn whether an earlier one already got a new token.
 */
@Component("immutaAuthenticationTurn")
public class ImmutaAuthenticationTurn {

    private final Semaphore turn = new Semaphore(1, true);

    /** Waits for the turn and takes it; the caller must {@link #release} it. */
    public void acquire() throws InterruptedException {
        turn.acquire();
    }

    public void release() {
        turn.release();
    }
}
