// Every `qayd` subcommand, declared by the module that implements it.
#pragma once

#include "cli/cmd_ingest.h"
