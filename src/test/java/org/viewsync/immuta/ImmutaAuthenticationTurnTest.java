package org.viewsync.immuta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ImmutaAuthenticationTurnTest {

    private final ImmutaAuthenticationTurn turn = new ImmutaAuthenticationTurn();

    @Test
    void callsWaitingForAFailedAuthenticationFailWithItsErrorAndLaterCallsTryAgain() throws Exception {
        turn.acquire();
        AtomicReference<Throwable> waiterFailure = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                turn.acquire();
                turn.release(null);
            } catch (Throwable e) {
                waiterFailure.set(e);
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.WAITING);

        turn.release(new ImmutaApiException(503, "POST", "/bim/apikey/authenticate", "Service Unavailable"));
        waiter.join(5000);

        assertThat(waiterFailure.get()).isInstanceOf(IllegalStateException.class).hasRootCauseInstanceOf(ImmutaApiException.class)
                .hasMessageContaining("authentication with Immuta failed while this call waited for it")
                .hasMessageContaining("Immuta answered HTTP 503 to POST /bim/apikey/authenticate");
        // A call that starts after the failure gets its own turn, and the turn is free again.
        turn.acquire();
        turn.release(null);
        turn.acquire();
        turn.release(null);
    }
}
