-- The notification took effect.
DELETE FROM inbox WHERE id = :#${variable.notificationId}
