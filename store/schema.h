// The SQL text of the migrations (schema_v1.cc ... schema_v4.cc). Internal.
// Table definitions use {ID}, {BIG} and {REAL}, expanded per dialect.
#pragma once

#include <string>

namespace qayd::store {

std::string SchemaV1Tables();
std::string SchemaV1SqliteTriggers();
std::string SchemaV1PostgresTriggers();
std::string SchemaV2();  // vocabulary table, its seed, and secondary indexes
std::string SchemaV3();  // partial indexes the write path appends to
std::string SchemaV4();  // the quarantine by source record

// Expands {ID}/{BIG}/{REAL} for "sqlite" or "postgres".
std::string ForDialect(std::string sql, const std::string& dialect);

}  // namespace qayd::store
