#!/usr/bin/env bash
# scenario_chaos_witness.sh — the chaos soak (scenario_chaos.sh) on two nodes and a witness.
CHAOS_TOPOLOGY=witness exec bash "$(dirname "$0")/scenario_chaos.sh" "$@"
