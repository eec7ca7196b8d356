// Durable file operations for backups. Internal to backup/.
// Errors are returned as Status (kIo with the path and errno text).
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace qayd::backup {

// Flushes a file's data and metadata to disk.
Status FsyncPath(const std::string& path);
// Flushes a folder, making renames and creations inside it durable.
Status FsyncDir(const std::string& dir);
// The folder holding `path` ("." when it has none).
std::string DirOf(const std::string& path);
// rename(2) then fsync of the target's folder.
Status DurableRename(const std::string& from, const std::string& to);
// A fresh name beside `path` for a temporary file: "<path>.tmp-<pid>-<n>".
std::string TempNameBeside(const std::string& path);
// Writes `data` to `path` atomically (temp file, fsync, rename, fsync folder).
Status WriteFileAtomic(const std::string& path, const std::string& data, int mode = 0644);
Result<std::string> ReadFile(const std::string& path);
// Size in bytes, or kNotFound / kIo.
Result<int64_t> FileSize(const std::string& path);
bool Exists(const std::string& path);
// Removes a file if present (errors ignored): for cleaning temporaries.
void RemoveQuietly(const std::string& path);

}  // namespace qayd::backup
