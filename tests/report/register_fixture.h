// A small register for the report tests, built through the real pipeline on a
// real SQLite store in a temporary directory: reports of 20 people killed, six
// of them reported twice in Arabic and English and one twice in Arabic, so the
// report must count duplicates once. Duplicates the engine leaves for review
// are decided through the store as a monitor would.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "matching/engine.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::report::testing {

struct FixtureRegister {
  std::string dir;  // temporary directory (removed by the destructor)
  std::string db;   // the SQLite file
  std::unique_ptr<Store> store;
  std::unique_ptr<matching::Engine> engine;
  std::unique_ptr<Pipeline> pipeline;
  std::map<std::string, int64_t> victim_of;  // person key ("P1", "P5a", ...) -> victim id
  int auto_merged = 0;      // duplicate reports the engine attached by itself
  int monitor_merged = 0;   // duplicates decided in the test through the store
  int64_t open_review_item = 0;  // the review item left open on purpose (P9 vs P4)
  ~FixtureRegister();
};

// Builds the register. Any failure is a gtest failure (ASSERTs inside).
void BuildFixtureRegister(FixtureRegister* reg);

}  // namespace qayd::report::testing
