// A real register for web tests: SQLite store in a fresh temporary folder,
// the matching engine with its index, the pipeline, a worker pool, and the web
// server on 127.0.0.1:0 driven by an io_context on its own thread. The clock
// is fake (now_ms) so tests can expire leases and sessions.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/thread_pool.h"
#include "config/config.h"
#include "matching/engine.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "web/server.h"

namespace qayd::testing {

class TestRegister {
 public:
  // `matching`: thresholds for the engine (tests often force the review band).
  explicit TestRegister(const MatchingSettings& matching);
  ~TestRegister();

  // Opens the store, loads the index, starts the server. Returns its status.
  Status Start(const std::string& static_dir = "");
  void StopServer();
  uint16_t port() const { return server_ ? server_->port() : 0; }

  Status AddUser(const std::string& name, const std::string& role, const std::string& password);
  // Returns the clear-text token.
  Result<std::string> AddToken(const std::string& name, const std::string& scope);
  // Ingests records given as qayd record JSON objects, through the real pipeline.
  Result<std::vector<RecordOutcome>> Ingest(const std::vector<std::string>& records);
  // The same after ingest's checks with the register's vocabularies (as feeds
  // and the partner API make them): a record failing them is quarantined.
  Result<std::vector<RecordOutcome>> IngestValidated(const std::vector<std::string>& records);

  Store* store() { return store_.get(); }
  // What the server was given (valid after Start()), e.g. to build a web::Api.
  const web::Deps& deps() const { return deps_; }
  matching::Engine* engine() { return engine_.get(); }
  Config& config() { return config_; }
  const std::string& dir() const { return dir_; }
  std::atomic<int64_t> now_ms{1'700'000'000'000};

 private:
  Result<std::vector<RecordOutcome>> IngestBatch(const std::vector<std::string>& records,
                                                 bool validate);
  std::string dir_;
  Config config_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<matching::Engine> engine_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<ThreadPool> pool_;
  boost::asio::io_context io_;
  web::Deps deps_;
  std::unique_ptr<web::Server> server_;
  std::thread io_thread_;
};

// A record JSON object for tests.
std::string Record(const std::string& source, const std::string& id, const std::string& name,
                   const std::string& extra = "");

}  // namespace qayd::testing
