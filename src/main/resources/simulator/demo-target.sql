-- The demo target's source tables, created on first connection (H2's INIT). Idempotent.
CREATE SCHEMA IF NOT EXISTS demo;
CREATE TABLE IF NOT EXISTS demo.customers (id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(200), country VARCHAR(2), segment VARCHAR(20));
MERGE INTO demo.customers KEY (id) VALUES
  (1, 'Ada Lovelace', 'ada@example.com', 'GB', 'enterprise'),
  (2, 'Grace Hopper', 'grace@example.com', 'US', 'enterprise'),
  (3, 'Li Wei', 'li.wei@example.com', 'CN', 'smb'),
  (4, 'Amara Okafor', 'amara@example.com', 'NG', 'smb');
CREATE TABLE IF NOT EXISTS demo.orders (id INT PRIMARY KEY, customer_id INT, amount DECIMAL(12, 2), ordered_on DATE);
MERGE INTO demo.orders KEY (id) VALUES
  (1, 1, 1200.00, DATE '2026-01-05'),
  (2, 2, 25000.00, DATE '2026-02-11'),
  (3, 4, 310.50, DATE '2026-03-20');
CREATE TABLE IF NOT EXISTS demo.support_tickets (id INT PRIMARY KEY, customer_id INT, subject VARCHAR(200), body VARCHAR(2000), opened_on DATE);
MERGE INTO demo.support_tickets KEY (id) VALUES
  (1, 1, 'Invoice question', 'My card ending 4242 was charged twice', DATE '2026-04-01'),
  (2, 3, 'Login', 'Password reset link expired', DATE '2026-04-03');
