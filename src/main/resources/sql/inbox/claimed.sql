-- The notifications a claim took, oldest first.
SELECT id AS "id", body AS "body", attempts AS "attempts", received_at AS "receivedAt",
       CONCAT('Notification ', id) AS "work", id AS "correlationId"
FROM inbox WHERE claim = :#${variable.claim} ORDER BY received_at
