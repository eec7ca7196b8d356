// Structured logging: a constant message plus key=value fields, one line each,
// written to stderr. When stderr is connected to journald (JOURNAL_STREAM
// matches stderr) each line gets the "<N>" syslog priority prefix and no time
// (the journal has it); elsewhere each line starts with the UTC time,
// `ts=2026-12-07T09:10:11.123Z level=info msg=...`.
//
// Levels: error = an operation failed and needs attention; warning = something
// unexpected that qayd handled; info = lifecycle and counts; debug = detail for
// developers. Personal data (names of victims or relatives, contact details)
// must only ever be logged at debug level.
//
// Thread-safe: lines from several threads never interleave.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace qayd::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Parses "debug", "info", "warning", "error". Returns false on anything else.
bool ParseLevel(std::string_view text, Level* out);

// Minimum level written; default info. Safe to call at any time (e.g. on reload).
void SetLevel(Level level);
Level GetLevel();
bool Enabled(Level level);

// Redirects output to a file descriptor (default 2, stderr). For tests.
void SetFd(int fd);
// Forces the `ts=` time stamp on or off (default: on unless writing to journald).
void SetTimestamps(bool on);

using Field = std::pair<std::string_view, std::string>;

void Write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, m, f);
}
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, m, f);
}
inline void Warning(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarning, m, f);
}
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, m, f);
}

// Formats one line without the priority prefix: `message key=value key="quoted value"`.
std::string Format(std::string_view message, std::initializer_list<Field> fields);

}  // namespace qayd::log
