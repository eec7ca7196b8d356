#include "tests/web/test_register.h"

#include <boost/asio/executor_work_guard.hpp>
#include <cstdlib>
#include <filesystem>

#include "ingest/validate.h"
#include "model/report_json.h"
#include "web/auth.h"

namespace qayd::testing {

TestRegister::TestRegister(const MatchingSettings& matching) {
  config_ = DefaultConfig();
  config_.matching = matching;
  config_.http.listen = "127.0.0.1";
  config_.http.port = 0;
  config_.daemon.review_lease_s = 600;
  std::string tmpl = (std::filesystem::temp_directory_path() / "qayd-web-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = buf.data();
}

TestRegister::~TestRegister() {
  StopServer();
  if (pool_) pool_->Stop();
  pipeline_.reset();
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status TestRegister::Start(const std::string& static_dir) {
  auto store = OpenStore(dir_ + "/register.db");
  if (!store.ok()) return store.status();
  store_ = std::move(*store);
  engine_ = std::make_unique<matching::Engine>(config_.matching);
  if (Status s = LoadIndex(store_.get(), engine_.get()); !s.ok()) return s;
  pipeline_ = std::make_unique<Pipeline>(store_.get(), engine_.get());
  pool_ = std::make_unique<ThreadPool>(4);
  web::Deps deps;
  deps.store = store_.get();
  deps.engine = engine_.get();
  deps.pipeline = pipeline_.get();
  deps.pool = pool_.get();
  deps.config = [this] { return config_; };
  deps.now_ms = [this] { return now_ms.load(); };
  config_.http.static_dir =
      static_dir.empty() ? std::string(QAYD_SOURCE_DIR) + "/web/static" : static_dir;
  deps_ = deps;
  server_ = std::make_unique<web::Server>(io_, deps, config_.http);
  if (Status s = server_->Listen(); !s.ok()) return s;
  io_thread_ = std::thread([this] {
    auto guard = boost::asio::make_work_guard(io_);
    io_.run();
  });
  return Status::Ok();
}

void TestRegister::StopServer() {
  if (server_) server_->Stop();
  if (io_thread_.joinable()) {
    io_.stop();
    io_thread_.join();
  }
  server_.reset();
}

Status TestRegister::AddUser(const std::string& name, const std::string& role,
                             const std::string& password) {
  auto hash = web::HashPassword(password);
  if (!hash.ok()) return hash.status();
  auto txn = store_->Begin();
  if (!txn.ok()) return txn.status();
  if (Status s = (*txn)->PutUser(User{name, role, *hash, false}); !s.ok()) return s;
  return (*txn)->Commit();
}

Result<std::string> TestRegister::AddToken(const std::string& name, const std::string& scope) {
  std::string token = web::RandomToken();
  auto txn = store_->Begin();
  if (!txn.ok()) return txn.status();
  if (Status s = (*txn)->PutApiToken(web::Sha256Hex(token), name, scope); !s.ok()) return s;
  if (Status s = (*txn)->Commit(); !s.ok()) return s;
  return token;
}

Result<std::vector<RecordOutcome>> TestRegister::Ingest(const std::vector<std::string>& records) {
  return IngestBatch(records, false);
}

Result<std::vector<RecordOutcome>> TestRegister::IngestValidated(
    const std::vector<std::string>& records) {
  return IngestBatch(records, true);
}

Result<std::vector<RecordOutcome>> TestRegister::IngestBatch(
    const std::vector<std::string>& records, bool validate) {
  std::vector<IncomingRecord> batch;
  for (const auto& text : records) {
    IncomingRecord rec;
    ReportFromJsonText(text, &rec.report, &rec.errors);
    rec.report.raw_payload = text;
    if (rec.report.received_at_ms == 0) rec.report.received_at_ms = now_ms.load();
    rec.record_label = "test record";
    batch.push_back(std::move(rec));
  }
  if (validate) {
    ingest::ValidateOptions opts;
    auto vocab = ingest::LoadVocabularies(store_.get());
    if (!vocab.ok()) return vocab.status();
    opts.vocab = *vocab;
    ingest::ValidateRecords(&batch, opts);
  }
  return pipeline_->Process(std::move(batch));
}

std::string Record(const std::string& source, const std::string& id, const std::string& name,
                   const std::string& extra) {
  return "{\"source\":\"" + source + "\",\"source_record_id\":\"" + id + "\",\"name\":\"" + name +
         "\"" + (extra.empty() ? "" : "," + extra) + "}";
}

}  // namespace qayd::testing
