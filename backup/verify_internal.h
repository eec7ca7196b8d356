// Shared by verify and restore. Internal to backup/.
#pragma once

#include <string>

#include "backup/backup.h"

namespace qayd::backup {

// VerifyBackup, leaving the checked plain database at `scratch` (mode 0600)
// when `keep_scratch`; a failed check removes it. Requires contents to be
// checkable when `require_contents` (an encrypted backup then needs the key).
Result<VerifyReport> VerifyInto(const std::string& file, const std::string& key_file,
                                const std::string& scratch, bool keep_scratch,
                                bool require_contents);

}  // namespace qayd::backup
