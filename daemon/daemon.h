// qaydd's lifecycle: load config, open the store, build the matching index,
// start the HTTP interface, feeds and spool, then run the event loop until
// SIGTERM/SIGINT. SIGHUP reloads the config as a transaction.
//
// Threads: one io_context thread (signals, timers, HTTP I/O); a worker pool
// for matching and store calls; feed pollers on their own threads.
// Errors: Run() throws std::runtime_error only for startup failures (bad
// config, store cannot be opened, address in use), which main() turns into
// exit code 1. Once running, failures are logged and counted.
#pragma once

#include <memory>
#include <string>

namespace qayd::daemon {

class Daemon {
 public:
  explicit Daemon(std::string config_path);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Runs until stopped by a signal; returns the exit code (0 on clean stop).
  int Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `qaydd --check-config FILE`: prints every problem to `err`; returns 0 if valid.
int CheckConfig(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace qayd::daemon
