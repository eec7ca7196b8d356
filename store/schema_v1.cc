// Migration 1: the core tables of the register.
#include "store/schema.h"

namespace qayd::store {

std::string SchemaV1Tables() {
  return R"SQL(
CREATE TABLE reports (
  id {ID},
  source TEXT NOT NULL,
  source_record_id TEXT NOT NULL,
  version {BIG} NOT NULL,
  received_at_ms {BIG} NOT NULL,
  raw_payload TEXT NOT NULL,
  fields TEXT NOT NULL,
  resolution {BIG} NOT NULL DEFAULT 0,
  governorate TEXT NOT NULL DEFAULT '',
  death_day {BIG},
  UNIQUE (source, source_record_id, version)
);
CREATE TABLE report_contacts (
  report_id {BIG} PRIMARY KEY REFERENCES reports(id),
  relation TEXT NOT NULL,
  contact TEXT NOT NULL
);
CREATE TABLE victims (
  id {ID},
  state {BIG} NOT NULL,
  merged_into {BIG} REFERENCES victims(id),
  corroboration {BIG} NOT NULL DEFAULT 0,
  created_at_ms {BIG} NOT NULL
);
CREATE TABLE membership (
  report_id {BIG} PRIMARY KEY REFERENCES reports(id),
  victim_id {BIG} NOT NULL REFERENCES victims(id)
);
CREATE INDEX membership_by_victim ON membership(victim_id, report_id);
CREATE TABLE history (
  seq {ID},
  at_ms {BIG} NOT NULL,
  type {BIG} NOT NULL,
  victim_id {BIG} NOT NULL DEFAULT 0,
  other_victim_id {BIG} NOT NULL DEFAULT 0,
  report_id {BIG} NOT NULL DEFAULT 0,
  actor TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX history_by_victim ON history(victim_id);
CREATE INDEX history_by_other_victim ON history(other_victim_id);
CREATE TABLE merge_undo (
  merge_seq {BIG} PRIMARY KEY,
  undo_seq {BIG} NOT NULL
);
CREATE TABLE different_people (
  a {BIG} NOT NULL REFERENCES victims(id),
  b {BIG} NOT NULL REFERENCES victims(id),
  seq {BIG} NOT NULL,
  PRIMARY KEY (a, b)
);
CREATE TABLE relations (
  a {BIG} NOT NULL REFERENCES victims(id),
  b {BIG} NOT NULL REFERENCES victims(id),
  relation TEXT NOT NULL,
  seq {BIG} NOT NULL,
  PRIMARY KEY (a, b, relation)
);
CREATE TABLE review_items (
  id {ID},
  report_id {BIG} NOT NULL REFERENCES reports(id),
  provisional_victim_id {BIG} NOT NULL DEFAULT 0,
  top_score {REAL} NOT NULL DEFAULT 0,
  state {BIG} NOT NULL DEFAULT 0,
  claimed_by TEXT NOT NULL DEFAULT '',
  lease_expires_ms {BIG} NOT NULL DEFAULT 0,
  created_at_ms {BIG} NOT NULL,
  explanation TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at_ms {BIG} NOT NULL DEFAULT 0
);
CREATE TABLE review_candidates (
  item_id {BIG} NOT NULL REFERENCES review_items(id),
  rank {BIG} NOT NULL,
  victim_id {BIG} NOT NULL,
  score {REAL} NOT NULL,
  PRIMARY KEY (item_id, rank)
);
CREATE TABLE review_unsure (
  item_id {BIG} NOT NULL REFERENCES review_items(id),
  user_name TEXT NOT NULL,
  PRIMARY KEY (item_id, user_name)
);
CREATE TABLE quarantine (
  id {ID},
  source TEXT NOT NULL,
  source_record_id TEXT NOT NULL,
  raw TEXT NOT NULL,
  reasons TEXT NOT NULL,
  received_at_ms {BIG} NOT NULL,
  replayed_report_id {BIG} NOT NULL DEFAULT 0
);
CREATE TABLE feeds (
  feed_id TEXT PRIMARY KEY,
  etag TEXT NOT NULL, last_modified TEXT NOT NULL, cursor TEXT NOT NULL,
  last_success_ms {BIG} NOT NULL, last_error_ms {BIG} NOT NULL, last_error TEXT NOT NULL,
  records_ok {BIG} NOT NULL, records_rejected {BIG} NOT NULL,
  consecutive_failures {BIG} NOT NULL
);
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled {BIG} NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  csrf TEXT NOT NULL,
  expires_ms {BIG} NOT NULL
);
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  revoked {BIG} NOT NULL DEFAULT 0
);
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL";
}

std::string SchemaV1SqliteTriggers() {
  return R"SQL(
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER reports_no_update BEFORE UPDATE OF source, source_record_id, version,
  received_at_ms, raw_payload, fields ON reports
BEGIN SELECT RAISE(ABORT, 'reports are immutable'); END;
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are immutable'); END;
)SQL";
}

std::string SchemaV1PostgresTriggers() {
  return R"SQL(
CREATE FUNCTION qayd_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER history_no_update BEFORE UPDATE OR DELETE ON history
  FOR EACH ROW EXECUTE FUNCTION qayd_append_only();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
  FOR EACH STATEMENT EXECUTE FUNCTION qayd_append_only();
CREATE TRIGGER reports_no_update BEFORE UPDATE OF source, source_record_id, version,
  received_at_ms, raw_payload, fields ON reports
  FOR EACH ROW EXECUTE FUNCTION qayd_append_only();
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
  FOR EACH ROW EXECUTE FUNCTION qayd_append_only();
CREATE TRIGGER reports_no_truncate BEFORE TRUNCATE ON reports
  FOR EACH STATEMENT EXECUTE FUNCTION qayd_append_only();
)SQL";
}

}  // namespace qayd::store
