#!/usr/bin/env bash
# Re-estimates the shipped matching weights from data/ (docs/MATCHING.md §6):
# EM over the candidate pairs of the three Gaza lists, seed 1, at most 300,000
# pairs; writes config/matching_weights_trained.h. Deterministic: rerunning it
# on the same data/ reproduces the file (tests/eval/train_defaults_test.cc
# checks that). config/matching_weights.h decides which estimates ship.
#
#   scripts/train-defaults.sh [path/to/qayd]     (default build/cli/qayd)
set -euo pipefail
cd "$(dirname "$0")/.."
qayd=${1:-build/cli/qayd}
# The arguments must stay those of eval::kDefaultsCommand (eval/training.h).
"$qayd" train --task all --seed 1 --max-pairs 300000 --header config/matching_weights_trained.h
echo "wrote config/matching_weights_trained.h; rebuild and run qayd eval --task all"
