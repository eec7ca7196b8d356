#include "cli/cmd_backup.h"

#include <iostream>

#include "backup/backup.h"
#include "backup/keys.h"
#include "backup/pg_backup.h"
#include "cli/args.h"
#include "config/config.h"
#include "store/store.h"

namespace qayd::cli {
namespace {

void PrintCounts(const backup::BackupCounts& c) {
  std::cout << "reports " << c.reports << ", victims " << c.victims << ", history events "
            << c.history_events;
}

void PrintManifest(const backup::Manifest& m) {
  std::cout << "  snapshot: " << m.created_at << ", schema " << m.schema_version << ", ";
  PrintCounts(m.counts);
  std::cout << ", last event " << m.last_event_seq << "\n";
  std::cout << "  size: " << m.size_bytes << " bytes, sha256 " << m.sha256 << "\n";
  if (m.encrypted) std::cout << "  encrypted for key " << m.key_fingerprint << "\n";
}

}  // namespace

int CmdBackup(const std::vector<std::string>& argv) {
  auto a = ParseArgs(argv, {"db", "config", "out", "public-key"}, {"overwrite"});
  if (!a.ok() || !a->Has("out") || (!a->Has("db") && !a->Has("config"))) {
    std::cerr << "usage: qayd backup (--db DB | --config FILE) --out FILE [--public-key KEY.pub] "
                 "[--overwrite]\n";
    if (!a.ok()) std::cerr << "qayd backup: " << a.status().message() << "\n";
    return 2;
  }
  backup::BackupOptions opts;
  opts.db = a->Get("db");
  opts.out = a->Get("out");
  opts.public_key_file = a->Get("public-key");
  opts.overwrite = a->Has("overwrite");
  if (a->Has("config")) {
    ConfigLoad load = LoadConfig(a->Get("config"));
    if (!load.ok()) {
      for (const auto& e : load.errors) std::cerr << e.ToString() << "\n";
      return 1;
    }
    if (opts.db.empty()) opts.db = load.config.store.location();
    if (opts.public_key_file.empty()) opts.public_key_file = load.config.backup.public_key_file;
  }
  Result<backup::Manifest> m =
      IsPostgresLocation(opts.db) ? backup::TakePostgresBackup(opts) : backup::TakeBackup(opts);
  if (!m.ok()) {
    std::cerr << "qayd backup: " << m.status().message() << "\n";
    return 1;
  }
  std::cout << "backup written: " << opts.out
            << "\n  manifest: " << backup::ManifestPathFor(opts.out) << "\n";
  PrintManifest(*m);
  return 0;
}

int CmdVerifyBackup(const std::vector<std::string>& argv) {
  auto a = ParseArgs(argv, {"key", "scratch", "db", "manifest"}, {});
  const bool db_mode = a.ok() && a->Has("db");
  if (!a.ok() || (db_mode ? !a->positional.empty() : a->positional.size() != 1)) {
    std::cerr << "usage: qayd verify-backup [--key SECRET_KEY] [--scratch DIR] FILE\n"
                 "       qayd verify-backup --db SCRATCH_DATABASE [--manifest FILE]\n";
    if (!a.ok()) std::cerr << "qayd verify-backup: " << a.status().message() << "\n";
    return 2;
  }
  if (db_mode) {
    auto r = backup::VerifyDatabase(a->Get("db"), a->Get("manifest"));
    if (!r.ok()) {
      std::cerr << "qayd verify-backup: FAILED: " << r.status().message() << "\n";
      return 1;
    }
    std::cout << "database ok: integrity ok, schema " << r->schema_version << ", ";
    PrintCounts(r->counts);
    std::cout << ", last event " << r->last_event_seq
              << (a->Has("manifest") ? "; matches the manifest\n" : "\n");
    return 0;
  }
  backup::VerifyOptions opts;
  opts.key_file = a->Get("key");
  opts.scratch_dir = a->Get("scratch");
  const std::string file = a->positional[0];
  auto r = backup::VerifyBackup(file, opts);
  if (!r.ok()) {
    std::cerr << "qayd verify-backup: FAILED: " << r.status().message() << "\n";
    return 1;
  }
  if (r->contents_checked) {
    std::cout << "backup ok: " << file << " (hash, integrity and counts match the manifest)\n";
  } else {
    std::cout << "backup hash ok: " << file
              << " (encrypted; contents not checked: give --key "
                 "to check them)\n";
  }
  PrintManifest(r->manifest);
  return 0;
}

int CmdRestore(const std::vector<std::string>& argv) {
  auto a = ParseArgs(argv, {"from", "db", "key"}, {});
  if (!a.ok() || !a->Has("from") || !a->Has("db") || !a->positional.empty()) {
    std::cerr << "usage: qayd restore --from FILE --db DB [--key SECRET_KEY]\n";
    if (!a.ok()) std::cerr << "qayd restore: " << a.status().message() << "\n";
    return 2;
  }
  backup::RestoreOptions opts;
  opts.key_file = a->Get("key");
  auto r = backup::RestoreBackup(a->Get("from"), a->Get("db"), opts);
  if (!r.ok()) {
    std::cerr << "qayd restore: " << r.status().message() << "\n";
    return 1;
  }
  std::cout << "restored " << a->Get("db") << " from " << a->Get("from") << "\n";
  PrintManifest(r->verified.manifest);
  if (!r->previous_kept_as.empty()) {
    std::cout << "  the register it replaced is kept as " << r->previous_kept_as << "\n";
  }
  return 0;
}

int CmdKeygen(const std::vector<std::string>& argv) {
  auto a = ParseArgs(argv, {"out"}, {});
  if (!a.ok() || !a->Has("out") || !a->positional.empty()) {
    std::cerr << "usage: qayd keygen --out KEYFILE   (writes KEYFILE, the secret key, and "
                 "KEYFILE.pub)\n";
    if (!a.ok()) std::cerr << "qayd keygen: " << a.status().message() << "\n";
    return 2;
  }
  auto pk = backup::GenerateKeyFiles(a->Get("out"));
  if (!pk.ok()) {
    std::cerr << "qayd keygen: " << pk.status().message() << "\n";
    return 1;
  }
  std::cout << "key " << pk->Fingerprint() << "\n  secret key: " << a->Get("out")
            << " (mode 0600; keep it OFF the server)\n  public key: " << a->Get("out")
            << ".pub (set backup.public_key_file to it)\n";
  return 0;
}

}  // namespace qayd::cli
