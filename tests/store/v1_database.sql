-- A kiosk database as schema version 1 wrote it (frozen: never edit).
-- The schema is migration 1 of app/store/sqlite/db_sqlite_schema.c as released; the
-- rows are what a store would have had: a receipt with a partly returned
-- line, a closed return whose customer left contact details, an overdue
-- fault report, a manager (PIN 2468) and audit rows. Case tokens:
-- K-000001 0123456789abcdef, K-000002 fedcba9876543210.
BEGIN;
CREATE TABLE stores (  id TEXT PRIMARY KEY,  name TEXT NOT NULL DEFAULT '');
CREATE TABLE receipts (  rid INTEGER PRIMARY KEY,  id TEXT NOT NULL UNIQUE,  store_id TEXT NOT NULL REFERENCES stores(id),  register_id TEXT NOT NULL,  purchased_s INTEGER NOT NULL,  purchased_off INTEGER NOT NULL,  currency TEXT NOT NULL,  n_lines INTEGER NOT NULL,  digest BLOB NOT NULL);
CREATE TABLE receipt_lines (  rid INTEGER NOT NULL REFERENCES receipts(rid),  line INTEGER NOT NULL,  sku TEXT NOT NULL,  description TEXT NOT NULL,  quantity INTEGER NOT NULL,  unit_price INTEGER NOT NULL,  category TEXT NOT NULL,  PRIMARY KEY (rid, line)) WITHOUT ROWID;
CREATE TABLE cases (  seq INTEGER PRIMARY KEY,  id TEXT NOT NULL UNIQUE,  kind TEXT NOT NULL CHECK (kind IN ('return', 'fault')),  state TEXT NOT NULL,  store_id TEXT NOT NULL,  receipt_id TEXT,  lang TEXT NOT NULL,  created_s INTEGER NOT NULL,  created_off INTEGER NOT NULL,  updated_s INTEGER NOT NULL,  updated_off INTEGER NOT NULL,  outcome TEXT NOT NULL,  rule TEXT NOT NULL,  explanation TEXT NOT NULL,  details TEXT NOT NULL,  amount INTEGER NOT NULL,  next_step TEXT NOT NULL,  promised_day INTEGER NOT NULL,  product TEXT NOT NULL,  customer_text TEXT NOT NULL,  contact TEXT,  wants_updates INTEGER NOT NULL,  id_hash TEXT,  receipt_printed INTEGER NOT NULL,  token_hash BLOB NOT NULL);
CREATE INDEX cases_receipt ON cases(receipt_id);
CREATE INDEX cases_id_hash ON cases(id_hash);
CREATE TABLE case_lines (  case_seq INTEGER NOT NULL REFERENCES cases(seq),  n INTEGER NOT NULL,  receipt_line INTEGER NOT NULL,  sku TEXT NOT NULL,  description TEXT NOT NULL,  quantity INTEGER NOT NULL CHECK (quantity > 0),  unit_price INTEGER NOT NULL,  category TEXT NOT NULL,  reason TEXT NOT NULL,  condition TEXT NOT NULL,  PRIMARY KEY (case_seq, n)) WITHOUT ROWID;
CREATE TABLE case_events (  id INTEGER PRIMARY KEY,  case_seq INTEGER NOT NULL REFERENCES cases(seq),  at_s INTEGER NOT NULL,  at_off INTEGER NOT NULL,  actor TEXT NOT NULL,  event TEXT NOT NULL,  text TEXT NOT NULL);
CREATE INDEX case_events_case ON case_events(case_seq, id);
CREATE TABLE staff (  seq INTEGER PRIMARY KEY,  id TEXT NOT NULL UNIQUE,  name TEXT NOT NULL,  role TEXT NOT NULL CHECK (role IN ('staff', 'manager')),  pin_hash TEXT NOT NULL,  active INTEGER NOT NULL,  card_code TEXT NOT NULL UNIQUE,  created_s INTEGER NOT NULL);
CREATE TABLE audit_log (  id INTEGER PRIMARY KEY,  at_s INTEGER NOT NULL,  at_off INTEGER NOT NULL,  actor TEXT NOT NULL,  action TEXT NOT NULL,  detail TEXT NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

INSERT INTO stores VALUES ('0042', 'Hemelektronik Centrum');
INSERT INTO receipts VALUES (1, 'RS004200320261001000017', '0042', '003', 1790857800, 120, 'SEK', 2, X'4a2f723bca469179942a0428c2832c0c');
INSERT INTO receipt_lines VALUES (1, 1, '7350001', 'Hörlurar Åke', 2, 129900, 'electronics');
INSERT INTO receipt_lines VALUES (1, 2, '7350002', 'Kabel, 2 m', 1, 9900, 'accessories');
INSERT INTO cases VALUES (1, 'K-000001', 'return', 'closed', '0042', 'RS004200320261001000017', 'sv', 1791190800, 120, 1791280800, 120, 'refund', 'return.within_window', 'Du köpte varan för 4 dagar sedan.', '{"days":4,"window":30}', 129900, 'Pengarna betalas tillbaka.', 0, '', '', 'anna@example.se', 1, NULL, 1, X'c783baf5fb1427e7d924c9fe93ee161169324bb139d9cd8d8b9602c412ec6cda');
INSERT INTO case_lines VALUES (1, 1, 1, '7350001', 'Hörlurar Åke', 1, 129900, 'electronics', 'changed_mind', 'unopened');
INSERT INTO cases VALUES (2, 'K-000002', 'fault', 'at_repair', '0042', 'RS004200320261001000017', 'en', 1793523600, 60, 1793523600, 60, 'repair', 'fault.presumed', 'The fault is presumed to have existed at delivery.', '{"months":1}', 0, 'Repair assessment.', 20772, 'Kabel', 'It stopped working.', NULL, 0, NULL, 1, X'607d844bb02f20e5c577530053f74772f0ab49af48aa33f8cd2c52535f32c147');
INSERT INTO case_events VALUES (1, 1, 1791190800, 120, 'kiosk', 'registered', 'Return registered: refund (return.within_window)');
INSERT INTO case_events VALUES (2, 1, 1791280800, 120, 'staff:S001', 'state', 'closed: refunded');
INSERT INTO case_events VALUES (3, 2, 1793523600, 60, 'kiosk', 'registered', 'Fault report registered: repair (fault.presumed)');
INSERT INTO case_events VALUES (4, 2, 1793527200, 60, 'staff:S001', 'state', 'at_repair');
INSERT INTO staff VALUES (1, 'S001', 'Anna Lind', 'manager', '$argon2id$v=19$m=65536,t=2,p=1$tZRsraNp+V6Tz3vzH6yeUg$HCjJ1a5ePBmxAnhhYzLqy1b23O+q6hxMfCQ7S8vAni8', 1, 'KS1:S001', 1791104400);
INSERT INTO audit_log VALUES (1, 1791104400, 60, 'system', 'staff.add', 'S001 Anna Lind (manager)');
INSERT INTO audit_log VALUES (2, 1791190800, 120, 'kiosk', 'case.registered', 'K-000001: Return registered');
PRAGMA user_version = 1;
COMMIT;
