#!/usr/bin/env bash
# Generates the shell completions and the man page from the CLI itself (swift-argument-parser),
# into contrib/completions and contrib/man. With --check, fails when the committed files are
# out of date (run by test.sh), so `--help`, completions and man page never drift apart.
#   contrib/scripts/generate-docs.sh [--check] [--scratch-path DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
check=no
scratch=.build-docs
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=yes ;;
    --scratch-path) scratch="$2"; shift ;;
    *) echo "generate-docs: unknown argument $1 (use --check or --scratch-path DIR)" >&2; exit 64 ;;
  esac
  shift
done

swift build --scratch-path "$scratch" --product secrets-agent >/dev/null
binary="$scratch/debug/secrets-agent"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/completions" "$out/man"
SWIFT_BACKTRACE=enable=no "$binary" --generate-completion-script bash >"$out/completions/secrets-agent.bash"
SWIFT_BACKTRACE=enable=no "$binary" --generate-completion-script zsh >"$out/completions/_secrets-agent"
SWIFT_BACKTRACE=enable=no "$binary" --generate-completion-script fish >"$out/completions/secrets-agent.fish"

# The man page comes from swift-argument-parser's generate-manual tool, which reads the CLI's
# --experimental-dump-help. The plugin builds the tool; the tool is then run on our binary with
# a fixed date so the output only changes when the CLI does.
swift package --scratch-path "$scratch" plugin generate-manual --help >/dev/null 2>&1 || true
tool=$(find "$scratch" -type f -name generate-manual-tool -perm -u+x | head -1)
[ -n "$tool" ] || { echo "generate-docs: generate-manual-tool was not built (swift package plugin generate-manual)" >&2; exit 1; }
"$tool" "$binary" --date 2026-12-04 --section 1 --output-directory "$out/man" >/dev/null

if [ "$check" = yes ]; then
  if ! diff -r "$out/completions" contrib/completions >/dev/null || ! diff -r "$out/man" contrib/man >/dev/null; then
    diff -r "$out/completions" contrib/completions | head -20 >&2 || true
    diff -r "$out/man" contrib/man | head -20 >&2 || true
    echo "generate-docs: contrib/completions or contrib/man is out of date (run: contrib/scripts/generate-docs.sh)" >&2
    exit 1
  fi
  echo "generate-docs: completions and man page are up to date"
else
  cp "$out"/completions/* contrib/completions/
  cp "$out"/man/* contrib/man/
  echo "generate-docs: wrote contrib/completions and contrib/man"
fi
