#include "cli/help.h"

#include <string>

namespace qayd::cli {
namespace {

struct Help {
  const char* command;
  const char* text;
};

// DB is a SQLite path or a PostgreSQL URL (postgresql://...); FILE a path.
constexpr Help kHelp[] = {
    {"ingest",
     "usage: qayd ingest --db DB [--config FILE] [--decisions OUT] [--format jsonl|json|csv]\n"
     "                   [--source NAME] [--map FEED_FIELD=QAYD_FIELD]... [--batch N] FILE...\n"
     "Ingests report files through the matching pipeline, as the daemon would.\n"
     "  --db DB            the register (created if missing)\n"
     "  --config FILE      matching settings from a qayd.json (default: built-in)\n"
     "  --decisions OUT    write one JSON line per record's decision (- for stdout)\n"
     "  --format F         jsonl (default), json or csv\n"
     "  --source NAME      source name recorded on every report\n"
     "  --map A=B          map the file's field A to qayd's field B (repeatable)\n"
     "  --batch N          records per transaction (default 1000)\n"},
    {"export",
     "usage: qayd export --db DB [--format jsonl|csv] [--out FILE]\n"
     "Writes every victim of the register as JSON lines (default) or CSV.\n"
     "  --db DB            the register (must exist)\n"
     "  --format F         jsonl or csv\n"
     "  --out FILE         write to FILE instead of standard output\n"},
    {"history",
     "usage: qayd history --db DB VICTIM_ID\n"
     "Prints a victim's history: every report, merge, review decision and undo.\n"
     "  --db DB            the register (must exist)\n"},
    {"explain",
     "usage: qayd explain --db DB --report REPORT_ID --victim VICTIM_ID [--config F] [--json]\n"
     "       qayd explain --a REPORT_JSON --b REPORT_JSON [--config F] [--json]\n"
     "Explains the score of a report against a victim, or of two reports given as JSON.\n"
     "  --config F         matching settings from a qayd.json\n"
     "  --json             machine-readable output\n"},
    {"name-score",
     "usage: qayd name-score < pairs.tsv\n"
     "Reads nameA<TAB>nameB per line and prints each pair's similarity.\n"},
    {"eval",
     "usage: qayd eval [--data DIR] [--task drift|cross-script|words|all] [--sample N] [--seed S]\n"
     "                 [--folds K] [--target-precision P] [--fixed-weights] [--config FILE]\n"
     "                 [--json]\n"
     "Measures matching accuracy on the real data tasks (docs/ACCURACY.md).\n"
     "  --data DIR         the data folder (default: the repository's data/)\n"
     "  --task T           which task (default all)\n"
     "  --sample N, --seed S   evaluate a random sample\n"
     "  --folds K          cross-validate thresholds in K folds (0: none; default 5)\n"
     "  --target-precision P   precision the fitted threshold aims at (default 0.998)\n"
     "  --fixed-weights    folds refit the threshold only, not the trained weights (EM)\n"
     "  --json             machine-readable output\n"},
    {"train",
     "usage: qayd train --db DB [--config F] [--max-pairs N] [--seed S]\n"
     "       qayd train FILE.jsonl... [--config F] [--max-pairs N] [--seed S]\n"
     "       qayd train --task drift|cross-script|all [--data DIR] [--header OUT.h]\n"
     "Estimates matching weights (EM) from a register (its reviewed decisions as labelled\n"
     "pairs), report files or the data/ lists, and prints them as a config fragment.\n"
     "  --max-pairs N      candidate pairs used at most (default 300000)\n"
     "  --seed S           the order reports are visited in (default 1)\n"
     "  --header OUT.h     write config/matching_weights_trained.h instead\n"
     "                     (scripts/train-defaults.sh)\n"},
    {"what-if",
     "usage: qayd what-if --db DB --config NEW.json [--current CURRENT.json] [--json]\n"
     "Shows which merges and review items a new config would change, without writing.\n"
     "  --current F        the running config to compare with (default: built-in)\n"
     "  --json             machine-readable output\n"},
    {"quarantine",
     "usage: qayd quarantine list --db DB [--offset N] [--limit N]\n"
     "       qayd quarantine show ID --db DB\n"
     "       qayd quarantine replay ID --db DB [--file CORRECTED] [--config FILE]\n"
     "Lists, shows and replays records rejected as invalid (kept verbatim with their reasons).\n"
     "  --file CORRECTED   replay a corrected record instead of the stored one\n"},
    {"report",
     "usage: qayd report --db DB (--month YYYY-MM | --year YYYY) [--by death|documented]\n"
     "                   [--format md|csv|json|html] [--lang en|ar] [--out FILE]\n"
     "                   [--victim-link PATTERN] [--config FILE]\n"
     "Writes the monthly or year-to-date death-toll report (docs/REPORTS.md).\n"
     "  --by B             count by date of death (default) or date documented\n"
     "  --format F         md (default), csv, json or html\n"
     "  --lang L           en (default) or ar\n"
     "  --victim-link P    link pattern for victims in html output\n"},
    {"user",
     "usage: qayd user add|passwd|disable NAME --db DB [--role monitor|admin] [--password-file F]\n"
     "Adds a user of the review interface, changes a password or disables a user.\n"
     "  --role R           monitor or admin (add)\n"
     "  --password-file F  read the password from F (default: standard input)\n"},
    {"token",
     "usage: qayd token add NAME --scope submit --db DB\n"
     "Creates an API token for a partner; prints it once.\n"},
    {"backup",
     "usage: qayd backup (--db DB | --config FILE) --out FILE [--public-key KEY.pub] "
     "[--overwrite]\n"
     "Takes a consistent online backup of a register, with a manifest (docs/BACKUP.md).\n"
     "  --config FILE      back up the register a qayd.json names\n"
     "  --public-key K     encrypt the backup for `qayd keygen`'s key\n"
     "  --overwrite        replace an existing FILE\n"},
    {"verify-backup",
     "usage: qayd verify-backup [--key SECRET_KEY] [--scratch DIR] FILE\n"
     "       qayd verify-backup --db SCRATCH_DATABASE [--manifest FILE]\n"
     "Checks a backup file against its manifest, restoring it into a scratch folder.\n"
     "  --key K            the secret key of an encrypted backup\n"},
    {"restore",
     "usage: qayd restore --from FILE --db DB [--key SECRET_KEY]\n"
     "Restores a register from a backup after verifying it; a register already at DB is kept "
     "aside.\n"},
    {"keygen",
     "usage: qayd keygen --out KEYFILE\n"
     "Makes a key pair for encrypted backups: KEYFILE (secret) and KEYFILE.pub.\n"},
};

}  // namespace

const char* CommandHelp(std::string_view command) {
  for (const auto& h : kHelp) {
    if (command == h.command) return h.text;
  }
  return nullptr;
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") return false;
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

}  // namespace qayd::cli
