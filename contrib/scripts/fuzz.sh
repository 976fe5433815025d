#!/usr/bin/env bash
# Builds the libFuzzer harnesses of contrib/fuzz and runs them (contrib/fuzz/README.md).
#
#   contrib/scripts/fuzz.sh TARGET SECONDS     TARGET: frame, dispatch, policy, name, redactor, template, scan, credential, dotenv or all
#
# The library modules are built by SwiftPM in the private scratch path .build-fuzz with
# coverage and AddressSanitizer (-sanitize=fuzzer,address: no executable is linked, so
# libFuzzer's main clashes with none); each harness is then compiled with swiftc and
# linked against those modules' object files and libFuzzer. Each target runs alone, one
# job, for SECONDS on a temporary copy of its seed corpus and regressions; crashes go to
# a temporary artifacts directory whose path is printed. Exits 1 when a target crashed,
# timed out or ran out of memory, 2 for bad usage.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
  echo "usage: contrib/scripts/fuzz.sh frame|dispatch|policy|name|redactor|template|scan|credential|dotenv|all SECONDS" >&2
  exit 2
}
[ $# -eq 2 ] || usage
[[ $2 =~ ^[1-9][0-9]*$ ]] || usage
seconds=$2
case $1 in
  frame | dispatch | policy | name | redactor | template | scan | credential | dotenv) targets=("$1") ;;
  all) targets=(frame dispatch policy name redactor template scan credential dotenv) ;;
  *) usage ;;
esac

# Per target: its harness, the package and dependency modules it links (every module of
# the dependency closure in Package.swift, bottom up: a module missing here shows up as
# an undefined symbol at link time), the longest input worth trying, and libFuzzer options
# of its own: dispatch runs ~150 inputs/s, too few for libFuzzer's length control ever to
# let inputs outgrow the seeds, so it starts at the full length.
harness() { case $1 in frame) echo FrameFuzzer ;; dispatch) echo DispatchFuzzer ;; policy) echo PolicyFuzzer ;; name) echo NameFuzzer ;; redactor) echo RedactorFuzzer ;; template) echo TemplateFuzzer ;; scan) echo ScanFuzzer ;; credential) echo CredentialFuzzer ;; dotenv) echo DotenvFuzzer ;; esac; }
modules() {
  case $1 in
    frame) echo SecretsCore SwiftProtobuf SecretsProtocol ;;
    dispatch) echo CShims SecretsCore SecretsCrypto SecretsStore SwiftProtobuf SecretsProtocol Logging SecretsAgentKit ;;
    policy | name | redactor | template | credential | dotenv) echo SecretsCore ;;
    scan) echo SecretsCore SecretsScan ;;
  esac
}
max_len() { case $1 in frame) echo 65536 ;; dispatch) echo 4096 ;; policy) echo 16384 ;; name) echo 1024 ;; redactor) echo 4096 ;; template) echo 8192 ;; scan) echo 8192 ;; credential) echo 512 ;; dotenv) echo 8192 ;; esac; }
extra_options() { case $1 in dispatch) echo -len_control=0 ;; esac; }

contrib/scripts/install-deps.sh
scratch=.build-fuzz
sanitize=(-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)

# SecretsAgentKit and SecretsScan between them need every other module; a single-target
# run builds only what it uses.
tops=(SecretsAgentKit SecretsScan)
if [ ${#targets[@]} -eq 1 ]; then
  case ${targets[0]} in
    frame) tops=(SecretsProtocol) ;; policy | name | redactor | template | credential | dotenv) tops=(SecretsCore) ;;
    scan) tops=(SecretsScan) ;; dispatch) tops=(SecretsAgentKit) ;;
  esac
fi
started=$(date +%s)
for top in "${tops[@]}"; do
  echo "fuzz.sh: building $top and its dependencies with -sanitize=fuzzer,address in $scratch" >&2
  # swift-frontend 6.3 has been seen to crash once (signal 11) on a tree that builds on the
  # next try; a second failure is real.
  swift build --scratch-path "$scratch" --target "$top" "${sanitize[@]}" ||
    { echo "fuzz.sh: build failed; trying once more" >&2; swift build --scratch-path "$scratch" --target "$top" "${sanitize[@]}"; }
done
bin=$(swift build --scratch-path "$scratch" --show-bin-path)

# The objects of a Swift module are the ones its output file map names (not whatever a
# deleted source left in the directory); a C module's are its .o files.
objects() {
  local dir="$bin/$1.build"
  if [ -f "$dir/output-file-map.json" ]; then
    grep -o '"object"[[:space:]]*:[[:space:]]*"[^"]*"' "$dir/output-file-map.json" | sed 's/.*:[[:space:]]*"\(.*\)"/\1/'
  else
    find "$dir" -name '*.o'
  fi
}

# The harnesses are linked into the work directory, so a crash replays against the very
# binary that found it.
work=$(mktemp -d "${TMPDIR:-/tmp}/secrets-agent-fuzz.XXXXXX")
# lld when the toolchain has it: gold warns about every ASan symbol it cannot export.
linker=()
[ -x "$(dirname "$(command -v swiftc)")/ld.lld" ] && linker=(-use-ld=lld)
for target in "${targets[@]}"; do
  files=()
  for module in $(modules "$target"); do
    mapfile -t found < <(objects "$module")
    [ ${#found[@]} -gt 0 ] || { echo "fuzz.sh: no objects for $module in $bin (was it built?)" >&2; exit 1; }
    files+=("${found[@]}")
  done
  # The C modules' maps, for modules that import them (SecretsAgentKit's dependencies).
  c_modules=()
  if [ "$target" = dispatch ]; then
    c_modules=(-Xcc -I -Xcc Sources/CShims/include -Xcc -fmodule-map-file="$bin/CShims.build/module.modulemap"
               -Xcc -fmodule-map-file=Sources/CSodium/module.modulemap -Xcc -fmodule-map-file=Sources/CSQLite/module.modulemap
               -lsodium -lsqlite3)
  fi
  echo "fuzz.sh: linking $work/fuzz-$target" >&2
  swiftc -swift-version 6 -g "${linker[@]}" -sanitize=fuzzer,address -parse-as-library -module-name "$(harness "$target")" \
    -I "$bin/Modules" "${c_modules[@]}" "contrib/fuzz/$(harness "$target").swift" "${files[@]}" -o "$work/fuzz-$target"
done
echo "fuzz.sh: built in $(($(date +%s) - started)) s" >&2

# The dispatch target's stores: on tmpfs when there is one, removed on exit.
if [ -w /dev/shm ]; then stores=$(mktemp -d /dev/shm/secrets-agent-fuzz.XXXXXX); else stores="$work/stores"; mkdir "$stores"; fi
trap 'rm -rf "$stores"' EXIT
echo "fuzz.sh: work directory $work" >&2

# Seeds, regressions and dictionaries are copied before the first run starts, so the runs
# see one snapshot of contrib/fuzz however long they take.
for target in "${targets[@]}"; do
  mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
  cp contrib/fuzz/corpus/"$target"/* "$work/$target/corpus/"
  if [ -d "contrib/fuzz/regressions/$target" ]; then cp contrib/fuzz/regressions/"$target"/* "$work/$target/corpus/" 2>/dev/null || true; fi
  if [ -f "contrib/fuzz/$target.dict" ]; then cp "contrib/fuzz/$target.dict" "$work/$target/dict"; fi
done

failed=()
for target in "${targets[@]}"; do
  dir="$work/$target"
  options=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$dir/artifacts/"
           -max_len="$(max_len "$target")" -timeout=30 -rss_limit_mb=4096 $(extra_options "$target"))
  if [ -f "$dir/dict" ]; then options+=(-dict="$dir/dict"); fi
  echo "fuzz.sh: $target: fuzzing for $seconds s (log: $dir/fuzz.log)" >&2
  status=0
  # The Swift backtracer can hang on a crash under libFuzzer; ASan and libFuzzer report it.
  SWIFT_BACKTRACE=enable=no SECRETS_AGENT_FUZZ_STORES="$stores" \
    "$work/fuzz-$target" "${options[@]}" "$dir/corpus" >"$dir/fuzz.log" 2>&1 || status=$?
  executions=$(grep -o 'stat::number_of_executed_units:[[:space:]]*[0-9]*' "$dir/fuzz.log" | grep -o '[0-9]*$' || echo "?")
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "fuzz.sh: $target: FAILED (libFuzzer exit $status) after $executions executions" >&2
    grep -m1 -A40 -E 'Precondition failed|Fatal error|Assertion failed|^==[0-9]+== ?ERROR|ALARM: working on the last Unit' "$dir/fuzz.log" >&2 ||
      tail -n 40 "$dir/fuzz.log" >&2
    echo "fuzz.sh: $target: input(s) in $dir/artifacts:" >&2
    ls -1 "$dir/artifacts" >&2
    echo "fuzz.sh: $target: replay with: SWIFT_BACKTRACE=enable=no $work/fuzz-$target $dir/artifacts/<file>" >&2
  else
    echo "fuzz.sh: $target: no crash in $seconds s, $executions executions, corpus now $(ls "$dir/corpus" | wc -l) inputs" >&2
  fi
done
echo "fuzz.sh: artifacts in $work/<target>/artifacts" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
