# Script mode: writes qayd(1) from the built `qayd` itself, so the man page
# and `qayd COMMAND --help` never disagree.
#   cmake -DQAYD=path/to/qayd -DLIST=cli/command_list.inc -DOUT=qayd.1 -DVERSION=x -P QaydManQayd.cmake
file(STRINGS "${LIST}" lines REGEX "^QAYD_COMMAND\\(")
set(body "")
foreach(line IN LISTS lines)
  string(REGEX MATCH "^QAYD_COMMAND\\(\"([^\"]+)\", [^,]+, \"([^\"]*)\"" m "${line}")
  set(name "${CMAKE_MATCH_1}")
  set(summary "${CMAKE_MATCH_2}")
  execute_process(COMMAND "${QAYD}" help "${name}" OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "qayd help ${name} failed (${rc})")
  endif()
  # roff: a backslash is written \e; a line may not start with . or '.
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  string(APPEND body ".SS ${name}\n${summary}.\n.PP\n.nf\n${text}.fi\n")
endforeach()
file(WRITE "${OUT}" ".TH QAYD 1 \"2026-12\" \"qayd ${VERSION}\" \"User Commands\"
.SH NAME
qayd \\- the qayd register from the command line
.SH SYNOPSIS
.B qayd
.I COMMAND
.RI [ OPTIONS ]
.br
.B qayd help
.I COMMAND
.br
.B qayd
.I COMMAND
.B \\-\\-help
.br
.B qayd \\-\\-version
.SH DESCRIPTION
.B qayd
reads and maintains a qayd register (a SQLite file or a PostgreSQL database,
given with
.BR \\-\\-db )
with or without
.BR qaydd (8)
running: ingest report files, export victims, show a victim's history, explain
a match, replay quarantined records, write the death-toll report, manage users
and API tokens, take, verify and restore backups.
Commands that only read a register refuse one that does not exist.
.SH COMMANDS
${body}.SH EXIT STATUS
0 on success, 1 on failure (the message names the record, field or file), 2 on
a usage error.
.SH SEE ALSO
.BR qaydd (8),
.BR qayd.json (5)
")
