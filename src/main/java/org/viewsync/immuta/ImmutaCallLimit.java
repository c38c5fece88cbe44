package org.viewsync.immuta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;

/**
 * How many calls this instance has in flight to Immuta at once, across every route: at most
 * {@code immuta.max-concurrent-calls}, fewer while Immuta pushes back (additive increase, multiplicative decrease).
 *
 * <ul>
 *   <li>A 429 or 503 halves the limit, and its {@code Retry-After} (else {@code immuta.push-back-pause}) pauses
 *       every call of the instance until then (see {@link #acquire}); the call that was pushed back fails with
 *       {@link ImmutaPushBackException}, and its work is postponed, not retried.</li>
 *   <li>Recent calls slower than {@code immuta.latency-tolerance} times the usual latency cut the limit by a
 *       tenth.</li>
 *   <li>Each call answered in time raises it again by one over the limit: by one per limit's worth of calls.</li>
 * </ul>
 * A limit lowered more than once per limit's worth of calls would collapse on one burst of slow answers: each decrease waits
 * until the calls in flight at the last one have ended.
 */
@Component("immutaCallLimit")
public class ImmutaCallLimit {

    private static final Logger LOG = LoggerFactory.getLogger(ImmutaCallLimit.class);

    /** A pause of Immuta's that ends sooner is waited out by the callers; a longer one postpones their work. */
    static final Duration LONGEST_PAUSE_WAITED = Duration.ofSeconds(10);

    /** A Retry-After beyond this (a day, or a year by mistake) holds the calls this long, then they try again. */
    static final Duration LONGEST_PAUSE = Duration.ofMinutes(15);

    /** A path segment that is an id: /dataSource/12/viewSql is the endpoint /dataSource/{id}/viewSql. */
    private static final Pattern ID_SEGMENT = Pattern.compile("/\\d+(?=/|$)");

    /** The weight of a new call in the usual latency, a moving average over about a hundred calls. */
    private static final double USUAL_LATENCY_WEIGHT = 0.01;

    /** The weight of a new call in the recent latency, a moving average over about five calls. */
    private static final double RECENT_LATENCY_WEIGHT = 0.2;

    private final int ceiling;
    private final double latencyTolerance;
    private final Duration defaultPause;
    private final Clock clock;

    private double limit;
    private int inFlight;
    private long callsStarted;
    /** Calls started before this number were in flight at the last decrease: their answers lower nothing more. */
    private long decreasedAtCall;
    /** Per endpoint: a view-SQL call may always take longer than a data source's, and that is no sign of strain. */
    private final Map<String, Latency> latencies = new HashMap<>();
    private Instant pausedUntil = Instant.MIN;

    @Autowired
    public ImmutaCallLimit(ImmutaProperties immuta) {
        this(immuta.getMaxConcurrentCalls(), immuta.getLatencyTolerance(), immuta.getPushBackPause(), Clock.systemUTC());
    }

    ImmutaCallLimit(int ceiling, double latencyTolerance, Duration defaultPause, Clock clock) {
        this.ceiling = ceiling;
        this.latencyTolerance = latencyTolerance;
        this.defaultPause = defaultPause;
        this.clock = clock;
        this.limit = ceiling;
    }

    /**
     * Waits for a call slot and takes it; the caller must {@link #release} it. Waits out a Retry-After of Immuta's that
     * ends within {@link #LONGEST_PAUSE_WAITED}; fails at once with {@link ImmutaPushBackException} while a longer one
     * lasts, so that the work is postponed rather than holding its worker.
     */
    public synchronized Slot acquire(String path) throws InterruptedException {
        while (true) {
            Instant now = clock.instant();
            if (now.isBefore(pausedUntil)) {
                Duration left = Duration.between(now, pausedUntil);
                if (left.compareTo(LONGEST_PAUSE_WAITED) > 0) {
                    throw new ImmutaPushBackException(pausedUntil, "Immuta asked for no calls before " + pausedUntil);
                }
                wait(Math.max(1, left.toMillis()));
                continue;
            }
            if (inFlight < currentLimit()) {
                inFlight++;
                return new Slot(callsStarted++, now, endpoint(path));
            }
            wait(1000);
        }
    }

    /** Frees the slot; the call's latency, unless it failed, adjusts the limit. */
    public synchronized void release(Slot slot, Throwable failure) {
        inFlight--;
        // One slot freed: one waiter. A raised limit or an ended pause is seen at the waiters' next timeout.
        notify();
        if (failure != null) {
            return;
        }
        long latency = Duration.between(slot.started(), clock.instant()).toNanos();
        Latency usual = latencies.computeIfAbsent(slot.endpoint(), endpoint -> new Latency(latency));
        usual.recent += RECENT_LATENCY_WEIGHT * (latency - usual.recent);
        if (usual.recent > latencyTolerance * usual.usual) {
            if (slot.number() >= decreasedAtCall && limit > 1) {
                decrease(0.9, "Immuta answers " + slot.endpoint() + " in about " + Math.round(usual.recent / 1e6)
                        + " ms, usually in " + Math.round(usual.usual / 1e6) + " ms");
            }
        } else if (limit < ceiling) {
            limit = Math.min(ceiling, limit + 1 / limit);
        }
        usual.usual += USUAL_LATENCY_WEIGHT * (latency - usual.usual);
    }

    /** The endpoint a path calls: without its query, ids as {id}. */
    static String endpoint(String path) {
        if (path == null) {
            return "";
        }
        int query = path.indexOf('?');
        return ID_SEGMENT.matcher(query < 0 ? path : path.substring(0, query)).replaceAll("/{id}");
    }

    /** Moving averages of one endpoint's latency: over about a hundred calls (usual) and about five (recent). */
    private static final class Latency {
        double usual;
        double recent;

        Latency(long first) {
            usual = first;
            recent = first;
        }
    }

    /**
     * Immuta answered 429 or 503: lowers the limit, pauses every call for the answer's Retry-After, and fails the call
     * with {@link ImmutaPushBackException}, which postpones its work without using up an attempt.
     */
    public void pushedBack(HttpOperationFailedException answer, Slot slot, String method) {
        String answered = ImmutaFailures.answerOf(answer, method).getMessage();
        Instant until = clock.instant().plus(retryAfter(header(answer.getResponseHeaders(), "Retry-After")));
        synchronized (this) {
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
            }
            if (slot.number() >= decreasedAtCall) {
                decrease(0.5, answered + "; no calls before " + until);
            }
        }
        throw new ImmutaPushBackException(until, answered + "; no calls to Immuta before " + until);
    }

    /** The calls this instance may have in flight now. */
    public synchronized int currentLimit() {
        return (int) limit;
    }

    /** The calls in flight now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Lowers the limit, said at WARN; answers to the calls already in flight then lower nothing more. */
    private void decrease(double factor, String reason) {
        int before = (int) limit;
        limit = Math.max(1, limit * factor);
        decreasedAtCall = callsStarted;
        if ((int) limit < before) {
            LOG.warn("{}: calls to Immuta in flight at once lowered from {} to {} (at most {})", reason, before, (int) limit, ceiling);
        } else {
            LOG.warn("{}: calls to Immuta in flight at once stay at {} (at most {})", reason, before, ceiling);
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(header -> name.equalsIgnoreCase(header.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /**
     * Retry-After in seconds or as an HTTP date, at most {@link #LONGEST_PAUSE}; the default pause when absent or
     * unreadable.
     */
    Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return defaultPause;
        }
        String text = value.strip();
        Duration pause;
        try {
            pause = Duration.ofSeconds(Long.parseLong(text));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                pause = Duration.between(clock.instant(), at);
            } catch (DateTimeParseException notDate) {
                return defaultPause;
            }
        }
        return pause.isNegative() ? Duration.ZERO : pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
    }

    /** A call's slot: its number among this instance's calls and when it started. */
    public record Slot(long number, Instant started, String endpoint) {
    }
}
