// Every `qayd` subcommand, declared by the module that implements it.
#pragma once

#include "cli/cmd_backup.h"
#include "cli/cmd_ingest.h"
#include "cli/cmd_matching.h"
#include "cli/cmd_quarantine.h"
#include "cli/cmd_register_matching.h"
#include "cli/cmd_report.h"
#include "cli/cmd_store.h"
#include "cli/cmd_users.h"
#include "cli/cmd_whatif.h"
