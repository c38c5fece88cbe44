-- The notifications a claim took, oldest first.
SELECT id AS "notificationId", body AS "notificationBody", attempts AS "attempts", received_at AS "receivedAt",
       CONCAT('Notification ', id) AS "work", id AS "correlationId"
FROM inbox WHERE claim = :#${variable.claim} ORDER BY received_at
