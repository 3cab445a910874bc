-- Least privilege for a store's or a chain's kiosk database (PostgreSQL).
--
-- Run as the owner of the kiosk tables (the role that made them: the
-- first `kiosk --db "postgresql://kiosk_owner@…" …` creates the schema),
-- after every schema upgrade:
--
--   psql "postgresql://kiosk_owner@db.example/kiosk" -v ON_ERROR_STOP=1 -f roles.sql
--
-- Then give each machine a login in one of the groups, e.g.
--   CREATE ROLE kiosk_0042_door LOGIN PASSWORD '…' IN ROLE kiosk_device;
--   CREATE ROLE counter_0042_till LOGIN PASSWORD '…' IN ROLE kiosk_counter;
--   CREATE ROLE pos_export LOGIN PASSWORD '…' IN ROLE kiosk_import;
--
-- kiosk_device  a customer kiosk: reads receipts and cases, registers cases,
--               asks for staff, prints. It cannot read staff PIN hashes, and
--               can only add to the audit log (never change or delete it).
-- kiosk_counter a staff counter: all of that, plus staff login and cases'
--               decisions and states, answering calls, contact purge.
-- kiosk_import  the POS export: receipts only.
-- Nobody but the owner changes the schema or the audit log's rows.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kiosk_device') THEN
    CREATE ROLE kiosk_device NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kiosk_counter') THEN
    CREATE ROLE kiosk_counter NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kiosk_import') THEN
    CREATE ROLE kiosk_import NOLOGIN;
  END IF;
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM kiosk_device, kiosk_counter, kiosk_import;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM kiosk_device, kiosk_counter, kiosk_import;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO kiosk_device, kiosk_counter, kiosk_import;

-- every program reads the schema version when it connects
GRANT SELECT ON kiosk_schema TO kiosk_device, kiosk_counter, kiosk_import;

-- receipts: read by kiosks and counters, written by the import
GRANT SELECT ON stores, receipts, receipt_lines TO kiosk_device, kiosk_counter, kiosk_import;
GRANT INSERT ON stores, receipts, receipt_lines TO kiosk_import;
-- (empty in the chain: a kiosk's offline journal notes there what the
-- chain had returned of a cached receipt; every receipt read joins it)
GRANT SELECT ON receipt_returns_elsewhere TO kiosk_device, kiosk_counter, kiosk_import;

-- cases: registered at the kiosk (and its receipt printed, its code
-- renewed on a reprint); decided and moved on at the counter
GRANT SELECT, INSERT ON cases, case_lines, case_events TO kiosk_device, kiosk_counter;
GRANT UPDATE (receipt_printed, token_hash, token_next_hash, updated_s, updated_off) ON cases TO kiosk_device;
GRANT UPDATE ON cases TO kiosk_counter;
GRANT USAGE ON SEQUENCE case_numbers, case_events_id_seq TO kiosk_device, kiosk_counter;

-- offline: a kiosk's journal sends the cases it took offline (as cases,
-- above) and says how many still wait; the counter shows that
GRANT SELECT, INSERT, UPDATE ON kiosk_journals TO kiosk_device;
GRANT SELECT ON kiosk_journals TO kiosk_counter;

-- talk to a person: asked for at the kiosk, answered at the counter
GRANT SELECT, INSERT ON staff_calls TO kiosk_device, kiosk_counter;
GRANT UPDATE (answered_s, answered_off, answered_by) ON staff_calls TO kiosk_counter;
GRANT USAGE ON SEQUENCE staff_calls_id_seq TO kiosk_device, kiosk_counter;
-- the outbox: a change that a customer asked to hear about writes its
-- message in the same transaction; a sender (kiosk, counter or `kiosk
-- notify run`) claims, sends and marks it
GRANT SELECT, INSERT, UPDATE ON outbox TO kiosk_device, kiosk_counter;
GRANT DELETE ON outbox TO kiosk_counter;
GRANT USAGE ON SEQUENCE outbox_id_seq TO kiosk_device, kiosk_counter;

-- the audit log: everyone appends, nobody changes (the trigger refuses
-- even the owner's UPDATE, DELETE and TRUNCATE)
GRANT INSERT ON audit_log TO kiosk_device, kiosk_counter, kiosk_import;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO kiosk_device, kiosk_counter, kiosk_import;
GRANT SELECT ON audit_log TO kiosk_counter;
-- its hash chain: appended by a trigger that runs as the owner, so no
-- login writes a link itself; the counter reads it for `kiosk audit verify`
GRANT SELECT ON audit_chain TO kiosk_counter;

-- staff: only the counter reads them, PIN hashes included, and records
-- wrong PINs and lockouts; staff are added by the owner (`kiosk staff add`)
GRANT SELECT, UPDATE (failed_count, locked_until_s) ON staff TO kiosk_counter;
