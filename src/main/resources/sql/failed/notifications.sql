SELECT id AS "id", notification_type AS "notificationType", attempts AS "attempts", last_error AS "lastError",
       received_at AS "receivedAt", body AS "notification"
FROM inbox WHERE status = 'FAILED' ORDER BY received_at
