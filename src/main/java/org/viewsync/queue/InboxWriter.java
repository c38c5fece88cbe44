package org.viewsync.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;
import org.viewsync.view.Hashes;

/**
 * Stores acknowledged notifications in the inbox with group commit: deliveries that arrive while a commit is under
 * way wait for the next one and share it. One writer thread, holding one pooled connection per commit, so a burst
 * of deliveries costs a few commits instead of one each, and one connection instead of one per request. A caller
 * returns only once its row is committed (or found to duplicate one still waiting), so the 202 keeps its promise.
 */
@Component
public class InboxWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxWriter.class);

    /**
     * Stored unless the same notification still waits, unclaimed: duplicates collapse. An inbox row is PENDING or
     * FAILED (done rows are deleted), and "not FAILED" is written as an inequality on purpose: no index can serve it,
     * so the only index the lookup can use is the one on body_hash. With {@code status = 'PENDING'} PostgreSQL could
     * also serve it from inbox_due, whose first column is status; a connection that planned the store while the inbox
     * held a few hundred rows sometimes chose that index, as cheap then, and kept the plan, reading every waiting row
     * for each delivery once a backlog had built up (StateStatementsTest).
     */
    static final String INSERT_UNLESS_WAITING = """
            INSERT INTO inbox (id, received_at, notification_type, body, body_hash, status, attempts, next_attempt_at)
            SELECT ?, ?, ?, ?, ?, 'PENDING', 0, ?
            FROM (SELECT 1 AS one) single_row
            WHERE NOT EXISTS (SELECT 1 FROM inbox WHERE body_hash = ? AND status <> 'FAILED' AND claimed_until IS NULL)""";

    private final DataSource stateDatabase;
    private final QueueTimes times;
    private final Hashes hashes;
    private final ViewSyncProperties.Intake settings;
    private final BlockingQueue<Delivery> waiting = new LinkedBlockingQueue<>();
    private volatile Thread writer;

    public InboxWriter(DataSource stateDatabase, QueueTimes times, Hashes hashes, ViewSyncProperties properties) {
        this.stateDatabase = stateDatabase;
        this.times = times;
        this.hashes = hashes;
        this.settings = properties.getIntake();
    }

    /**
     * Stores one notification and waits for its commit.
     *
     * @return the inbox id, or {@code null} when the same notification already waits in the inbox
     * @throws InboxUnavailableException when the state database did not commit it within the store timeout
     */
    public String store(String rawNotification, String notificationType) throws InboxUnavailableException {
        Delivery delivery = new Delivery(UUID.randomUUID().toString(), rawNotification, notificationType, hashes.sha256(rawNotification));
        if (writer == null) {
            throw new InboxUnavailableException("the inbox is not accepting notifications (the service is stopping)", null);
        }
        waiting.add(delivery);
        try {
            return delivery.stored.get(settings.getStoreTimeout().toMillis(), TimeUnit.MILLISECONDS) ? delivery.id : null;
        } catch (TimeoutException e) {
            // The row may still commit later; then it is processed like any other, only Immuta saw a failure.
            throw new InboxUnavailableException("the state database did not commit the notification within "
                    + settings.getStoreTimeout().toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new InboxUnavailableException("the state database refused the notification: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InboxUnavailableException("interrupted while storing the notification", e);
        }
    }

    private void writeLoop() {
        List<Delivery> batch = new ArrayList<>();
        while (writer == Thread.currentThread() || !waiting.isEmpty()) {
            try {
                Delivery first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, settings.getGroupCommitSize() - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** One transaction for the whole batch; if it fails, each delivery alone, so one bad row fails only itself. */
    private void commit(List<Delivery> batch) {
        try {
            List<Boolean> stored = insert(batch);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).stored.complete(stored.get(i));
            }
        } catch (SQLException batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).stored.completeExceptionally(batchFailure);
                return;
            }
            log.warn("A group commit of {} notifications failed ({}); storing them one by one", batch.size(), batchFailure.getMessage());
            for (Delivery delivery : batch) {
                try {
                    delivery.stored.complete(insert(List.of(delivery)).get(0));
                } catch (SQLException failure) {
                    delivery.stored.completeExceptionally(failure);
                }
            }
        }
    }

    private List<Boolean> insert(List<Delivery> batch) throws SQLException {
        Timestamp receivedAt = times.now();
        try (Connection connection = stateDatabase.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT_UNLESS_WAITING)) {
                // One statement at a time rather than a JDBC batch: a duplicate inside this batch must see the row
                // its twin inserted a moment earlier.
                List<Boolean> stored = new ArrayList<>(batch.size());
                for (Delivery delivery : batch) {
                    insert.setString(1, delivery.id);
                    insert.setTimestamp(2, receivedAt);
                    insert.setString(3, delivery.notificationType);
                    insert.setString(4, delivery.rawNotification);
                    insert.setString(5, delivery.bodyHash);
                    insert.setTimestamp(6, receivedAt);
                    insert.setString(7, delivery.bodyHash);
                    stored.add(insert.executeUpdate() == 1);
                }
                connection.commit();
                return stored;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::writeLoop, "inbox-writer");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    /** New deliveries are refused; those already waiting are still committed. */
    @Override
    public void stop() {
        Thread thread = writer;
        writer = null;
        if (thread != null) {
            try {
                thread.join(settings.getStoreTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return writer != null;
    }

    /** Stops after the web server stopped taking requests, starts before it takes any. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    private record Delivery(String id, String rawNotification, String notificationType, String bodyHash, CompletableFuture<Boolean> stored) {
        Delivery(String id, String rawNotification, String notificationType, String bodyHash) {
            this(id, rawNotification, notificationType, bodyHash, new CompletableFuture<>());
        }
    }

    /** The notification could not be stored: the intake must not acknowledge it. */
    public static class InboxUnavailableException extends Exception {
        public InboxUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
