#!/usr/bin/env bash
# Every test: unit tests (pure logic) and integration tests that build real namespaces (as root).
#   sudo scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build
exec mvn -B verify "$@"
