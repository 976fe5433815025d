#!/usr/bin/env bash
# Runs the whole test suite: unit and integration tests (debug), the committed generated
# protocol code check, a short run of every fuzzer (10 s each, with its seeds and
# regressions), the CLI contract on a release build (when ../shared is beside the
# checkout), and the benchmark in its quick mode so it cannot rot.
set -euo pipefail
cd "$(dirname "$0")/../.."
contrib/scripts/install-deps.sh
contrib/scripts/generate-protos.sh --check
swift build --build-tests
swift test --skip-build
contrib/scripts/fuzz.sh all 10
swift build -c release
release=$(swift build -c release --show-bin-path)
if [ -x ../shared/contract/core.sh ] || [ -f ../shared/contract/core.sh ]; then
  bash ../shared/contract/core.sh "$release/secrets-agent"
else
  echo "test.sh: ../shared/contract not found; skipping the contract check" >&2
fi
"$release/secrets-agent-bench" --quick
echo "all tests passed"
