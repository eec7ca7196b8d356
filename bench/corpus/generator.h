// The synthetic corpus: people (in families), a register part and an
// incoming part, written as qayd JSON lines (docs/RECORD-FORMAT.md).
//
// Truth: every report's national_id is its person's true id (nine digits,
// unique per person), so the accuracy of any matcher can be measured.
// Deterministic: the same stats, options and seed give byte-identical output.
#pragma once

#include <cstdint>
#include <ostream>

#include "bench/corpus/name_stats.h"

namespace qayd::bench {

struct CorpusOptions {
  uint64_t seed = 1;
  int64_t register_size = 10000;  // one clean report per person
  int64_t incoming = 1000;        // reports in the incoming part
  double rereport_share = 0.4;    // incoming re-reports of register people
  double self_dup_share = 0.1;    // incoming re-reports of incoming people
  double latin_share = 0.25;      // incoming reports written in Latin script
  double drift = 1.0;             // strength of spelling drift (0: exact copies)
};

struct CorpusCounts {
  int64_t people = 0, families = 0, register_reports = 0, incoming_reports = 0;
  int64_t incoming_rereports = 0, incoming_self_dups = 0, incoming_new = 0;
  int64_t incoming_latin = 0, incoming_relatives_in_register = 0;
};

// Writes the register part to `reg` and the incoming part to `inc`.
CorpusCounts WriteCorpus(const NameStats& stats, const CorpusOptions& opts, std::ostream& reg,
                         std::ostream& inc);

}  // namespace qayd::bench
