package org.viewsync.immuta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;
import org.viewsync.config.ViewSyncProperties;

/**
 * Finds the deliveries Immuta could not make to our hook while the service was stopped or unreachable (Immuta never
 * retries on its own), in {@code GET /webhooks/history}, read newest first down to the newest one an earlier run
 * handled (the mark, kept in the state database) or, without a mark, as far back as
 * {@code viewsync.webhook.recovery.look-back}. Each is asked to be made again once; at most
 * {@code viewsync.webhook.recovery.max-retries} a run. Reconciliation stays the safety net for anything older.
 */
@Component("deliveryRecovery")
public class DeliveryRecovery {

    private final int pageSize;
    private final int maxRetries;
    private final Duration lookBack;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public DeliveryRecovery(ImmutaProperties immuta, ViewSyncProperties properties) {
        this(immuta.getPageSize(), properties.getWebhook().getRecovery().getMaxRetries(),
                properties.getWebhook().getRecovery().getLookBack(), Clock.systemUTC());
    }

    DeliveryRecovery(int pageSize, int maxRetries, Duration lookBack, Clock clock) {
        this.pageSize = pageSize;
        this.maxRetries = maxRetries;
        this.lookBack = lookBack;
        this.clock = clock;
    }

    /** A run for our hook (as {@code GET /webhooks} lists it), from the mark an earlier run left (null: none). */
    public Run start(Map<?, ?> hook, Number mark) {
        return new Run(hook, mark == null ? null : mark.longValue(), mark == null ? clock.instant().minus(lookBack) : null);
    }

    /** Takes one page of the history into the run. */
    public void accept(Run run, Map<String, Object> answer) {
        run.accept(answer);
    }

    /** One recovery: reads pages of failed deliveries and keeps those of our hook it has not handled before. */
    public class Run {
        private final Object hookId;
        private final Object hookUrl;
        private final Long mark;
        private final Instant notBefore;
        private final PageCursor page;
        private final List<Map<?, ?>> missed = new ArrayList<>();
        private long newestSeen;
        private boolean reachedHandled;

        Run(Map<?, ?> hook, Long mark, Instant notBefore) {
            this.hookId = hook.get("id");
            this.hookUrl = hook.get("url");
            this.mark = mark;
            this.notBefore = notBefore;
            this.page = new PageCursor(pageSize, "records");
            this.newestSeen = mark == null ? 0 : mark;
        }

        /** The cursor the history path's {@code {size}} and {@code {offset}} are read from. */
        public PageCursor getPage() {
            return page;
        }

        public boolean hasMore() {
            return !reachedHandled && page.hasMore();
        }

        /** Takes in one page of {@code GET /webhooks/history} ({@code {count, records}}). */
        public void accept(Map<String, Object> answer) {
            int before = page.getItems().size();
            page.accept(answer);
            for (Object item : page.getItems().subList(before, page.getItems().size())) {
                if (!(item instanceof Map<?, ?> record) || !(record.get("id") instanceof Number id)) {
                    continue;
                }
                if ((mark != null && id.longValue() <= mark) || isBefore(record.get("createdAt"), notBefore)) {
                    reachedHandled = true;
                    continue;
                }
                newestSeen = Math.max(newestSeen, id.longValue());
                if (isOurs(record) && !isSuccess(record.get("statusCode"))) {
                    missed.add(record);
                }
            }
        }

        /** The missed deliveries to ask again, oldest first, at most max-retries of them. */
        public List<Map<?, ?>> toRetry() {
            return missed.stream().sorted(Comparator.comparingLong(record -> ((Number) record.get("id")).longValue()))
                    .limit(maxRetries).toList();
        }

        /**
         * The mark for the next run: the newest record read, or, when more were missed than one run asks again, the
         * newest one asked, so that the next run goes on from there.
         */
        public long newMark() {
            List<Map<?, ?>> retried = toRetry();
            if (!retried.isEmpty() && missed.size() > retried.size()) {
                return ((Number) retried.get(retried.size() - 1).get("id")).longValue();
            }
            return newestSeen;
        }

        /** For the log line: how many were found and asked again. */
        public String summary() {
            return toRetry().size() + " of " + missed.size() + " deliveries Immuta could not make to hook " + hookId;
        }

        private boolean isOurs(Map<?, ?> record) {
            Object webhooksId = record.get("webhooksId");
            if (webhooksId != null && hookId != null) {
                return String.valueOf(webhooksId).equals(String.valueOf(hookId));
            }
            return hookUrl != null && hookUrl.equals(record.get("url"));
        }
    }

    private static boolean isSuccess(Object statusCode) {
        return statusCode instanceof Number status && status.intValue() >= 200 && status.intValue() < 300;
    }

    private static boolean isBefore(Object createdAt, Instant notBefore) {
        if (notBefore == null || !(createdAt instanceof String text)) {
            return false;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().isBefore(notBefore);
        } catch (DateTimeParseException notATime) {
            return false;
        }
    }
}
