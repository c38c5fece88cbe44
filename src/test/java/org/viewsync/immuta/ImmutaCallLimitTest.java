package org.viewsync.immuta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

/** The in-flight cap on Immuta calls and how it gives way when Immuta pushes back. */
class ImmutaCallLimitTest {

    private final MutableClock clock = new MutableClock();
    private final ImmutaCallLimit limit = new ImmutaCallLimit(8, 2.0, Duration.ofSeconds(5), clock);

    @Test
    void noMoreCallsThanTheLimitAreInFlight() throws Exception {
        ImmutaCallLimit two = new ImmutaCallLimit(2, 2.0, Duration.ofSeconds(5), clock);
        ImmutaCallLimit.Slot first = two.acquire("/dataSource/1");
        two.acquire("/dataSource/1");
        CompletableFuture<ImmutaCallLimit.Slot> third = acquireElsewhere(two, "/dataSource/1");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());
        assertThat(two.inFlight()).isEqualTo(2);

        two.release(first, null);

        assertThat(third.get()).isNotNull();
        assertThat(two.inFlight()).isEqualTo(2);
    }

    @Test
    void aTooManyRequestsAnswerHalvesTheLimitAndPausesEveryCallForItsRetryAfter() throws Exception {
        ImmutaCallLimit.Slot slot = limit.acquire("/dataSource/1/viewSql?projectId=7");

        assertThatThrownBy(() -> limit.pushedBack(answer(429, Map.of("retry-after", "60")), slot, "GET"))
                .isInstanceOf(ImmutaPushBackException.class)
                .hasMessageContaining("Immuta answered HTTP 429 to GET /dataSource/7: slow down")
                .satisfies(e -> assertThat(((ImmutaPushBackException) e).getRetryAt())
                        .isEqualTo(clock.instant().plusSeconds(60)));
        limit.release(slot, new IllegalStateException("pushed back"));
        assertThat(limit.currentLimit()).isEqualTo(4);

        clock.advance(Duration.ofSeconds(49));
        assertThatThrownBy(() -> limit.acquire("/dataSource/1")).as("a pause too long to wait out postpones the work")
                .isInstanceOf(ImmutaPushBackException.class);
        clock.advance(Duration.ofSeconds(11));
        assertThat(limit.acquire("/dataSource/1/viewSql?projectId=7")).isNotNull();
    }

    @Test
    void aShortPauseIsWaitedOutWithoutCallingImmuta() throws Exception {
        ImmutaCallLimit.Slot slot = limit.acquire("/dataSource/1/viewSql?projectId=7");
        assertThatThrownBy(() -> limit.pushedBack(answer(503, Map.of("Retry-After", "2")), slot, "GET"))
                .isInstanceOf(ImmutaPushBackException.class);
        limit.release(slot, new IllegalStateException("pushed back"));

        CompletableFuture<ImmutaCallLimit.Slot> waiting = acquireElsewhere(limit, "/dataSource/1/viewSql?projectId=7");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());

        clock.advance(Duration.ofSeconds(2));

        assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void anEndpointSlowerThanTheOthersIsNoSignOfStrain() throws Exception {
        for (int i = 0; i < 50; i++) {
            ImmutaCallLimit.Slot fast = limit.acquire("/dataSource/" + i);
            clock.advance(Duration.ofMillis(20));
            limit.release(fast, null);
            ImmutaCallLimit.Slot slow = limit.acquire("/dataSource/" + i + "/viewSql?projectId=7");
            clock.advance(Duration.ofMillis(1_500));
            limit.release(slow, null);
        }

        assertThat(ImmutaCallLimit.endpoint("/dataSource/12/viewSql?projectId=7")).isEqualTo("/dataSource/{id}/viewSql");
        assertThat(limit.currentLimit()).as("each endpoint against its own usual latency").isEqualTo(8);
    }

    @Test
    void retryAfterAsAnHttpDateAndWithoutOne() throws Exception {
        Instant in90Seconds = clock.instant().plusSeconds(90);
        String httpDate = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(in90Seconds, ZoneOffset.UTC));
        assertThat(limit.retryAfter(httpDate)).isEqualTo(Duration.ofSeconds(90));
        assertThat(limit.retryAfter(null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(limit.retryAfter("soon")).isEqualTo(Duration.ofSeconds(5));
        assertThat(limit.retryAfter("86400")).as("a day holds the calls 15 minutes at most").isEqualTo(Duration.ofMinutes(15));
        assertThat(limit.retryAfter("99999999999999999")).isEqualTo(Duration.ofMinutes(15));
        assertThat(limit.retryAfter("-3")).isEqualTo(Duration.ZERO);

        ImmutaCallLimit.Slot slot = limit.acquire("/dataSource/1/viewSql?projectId=7");
        assertThatThrownBy(() -> limit.pushedBack(answer(503, Map.of()), slot, "GET"))
                .isInstanceOf(ImmutaPushBackException.class)
                .satisfies(e -> assertThat(((ImmutaPushBackException) e).getRetryAt())
                        .isEqualTo(clock.instant().plusSeconds(5)));
    }

    @Test
    void answersInTimeRaiseTheLimitAgainByOnePerLimitsWorthOfCalls() throws Exception {
        ImmutaCallLimit.Slot pushed = limit.acquire("/dataSource/1/viewSql?projectId=7");
        assertThatThrownBy(() -> limit.pushedBack(answer(429, Map.of("Retry-After", "0")), pushed, "GET"))
                .isInstanceOf(ImmutaPushBackException.class);
        limit.release(pushed, new IllegalStateException("pushed back"));
        assertThat(limit.currentLimit()).isEqualTo(4);

        answerCalls(3, Duration.ofMillis(200));
        assertThat(limit.currentLimit()).as("less than one more after fewer calls than the limit").isEqualTo(4);
        answerCalls(2, Duration.ofMillis(200));
        assertThat(limit.currentLimit()).isEqualTo(5);
        answerCalls(5 + 6 + 7 + 8, Duration.ofMillis(200));
        assertThat(limit.currentLimit()).isEqualTo(8);
        answerCalls(100, Duration.ofMillis(200));
        assertThat(limit.currentLimit()).as("never above immuta.max-concurrent-calls").isEqualTo(8);
    }

    @Test
    void callsSlowerThanTheToleranceLowerTheLimitOnceForTheCallsInFlight() throws Exception {
        answerCalls(20, Duration.ofMillis(200));

        List<ImmutaCallLimit.Slot> inFlight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inFlight.add(limit.acquire("/dataSource/1/viewSql?projectId=7"));
        }
        clock.advance(Duration.ofMillis(1_000));
        inFlight.forEach(slot -> limit.release(slot, null));

        assertThat(limit.currentLimit()).as("one cut by a tenth for all the slow calls in flight").isEqualTo(7);
    }

    @Test
    void pushBackOfCallsStartedBeforeTheLastCutLowersNothingMore() throws Exception {
        ImmutaCallLimit.Slot first = limit.acquire("/dataSource/1/viewSql?projectId=7");
        ImmutaCallLimit.Slot second = limit.acquire("/dataSource/1/viewSql?projectId=7");
        assertThatThrownBy(() -> limit.pushedBack(answer(429, Map.of("Retry-After", "0")), first, "GET"))
                .isInstanceOf(ImmutaPushBackException.class);
        assertThatThrownBy(() -> limit.pushedBack(answer(429, Map.of("Retry-After", "0")), second, "GET"))
                .isInstanceOf(ImmutaPushBackException.class);

        assertThat(limit.currentLimit()).isEqualTo(4);
    }

    private void answerCalls(int calls, Duration latency) throws InterruptedException {
        for (int i = 0; i < calls; i++) {
            ImmutaCallLimit.Slot slot = limit.acquire("/dataSource/1/viewSql?projectId=7");
            clock.advance(latency);
            limit.release(slot, null);
        }
    }

    /** A call of another worker taking a slot: done once it has one. */
    private static CompletableFuture<ImmutaCallLimit.Slot> acquireElsewhere(ImmutaCallLimit limit, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return limit.acquire(path);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static HttpOperationFailedException answer(int status, Map<String, String> headers) {
        return new HttpOperationFailedException("https://immuta.example.com/dataSource/7", status, "", null, headers,
                "slow down");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
