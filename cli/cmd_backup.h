// Backup subcommands of `qayd` (docs/BACKUP.md). Each returns the process
// exit code: 0 ok, 1 failure (the message says why), 2 usage error.
//
// `qayd backup (--db DB | --config FILE) --out FILE [--public-key KEY.pub] [--overwrite]`
// `qayd verify-backup [--key SECRET_KEY] [--scratch DIR] FILE`
// `qayd verify-backup --db POSTGRES_URL [--manifest FILE]`   (a dump restored into a scratch
// database) `qayd restore --from FILE --db DB [--key SECRET_KEY]` `qayd keygen --out KEYFILE`
// (writes KEYFILE 0600 and KEYFILE.pub)
#pragma once

#include <string>
#include <vector>

namespace qayd::cli {

int CmdBackup(const std::vector<std::string>& args);
int CmdVerifyBackup(const std::vector<std::string>& args);
int CmdRestore(const std::vector<std::string>& args);
int CmdKeygen(const std::vector<std::string>& args);

}  // namespace qayd::cli
