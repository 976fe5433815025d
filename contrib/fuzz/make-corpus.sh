#!/usr/bin/env bash
# Regenerates the seed corpora of contrib/fuzz/corpus from the readable requests below,
# encoded with protoc against proto/secrets_agent/v1/agent.proto and framed as on the
# wire (DESIGN §3). The policy and name seeds are plain text files kept as they are.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=contrib/fuzz/corpus
command -v protoc >/dev/null || { echo "make-corpus: protoc is not on PATH (run: contrib/scripts/install-deps.sh)" >&2; exit 1; }

# frame TEXT: one frame (4-byte big-endian length, then the encoded Request) on stdout.
frame() {
  local body
  body=$(mktemp)
  printf '%s\n' "$1" | protoc --proto_path=proto --encode=secrets_agent.v1.Request secrets_agent/v1/agent.proto >"$body"
  local n
  n=$(stat -c %s "$body")
  printf "\\x$(printf %02x $((n >> 24 & 255)))\\x$(printf %02x $((n >> 16 & 255)))\\x$(printf %02x $((n >> 8 & 255)))\\x$(printf %02x $((n & 255)))"
  cat "$body"
  rm -f "$body"
}

hello='request_id: 1 hello { protocol_version: 1 client: "fuzz" }'
status='request_id: 2 status {}'
put='request_id: 3 put { name: "db/password" environment: "production" value: "correct horse battery staple" mode: CREATE }'
update='request_id: 4 put { name: "db/password" environment: "production" value: "hunter2" expected_version: 1 }'
get='request_id: 5 get { name: "db/password" environment: "production" }'
get_v1_masked='request_id: 6 get { name: "db/password" environment: "production" version: 1 masked: true }'
list='request_id: 7 list { environment: "production" prefix: "db/" }'
history='request_id: 8 history { name: "db/password" environment: "production" }'
delete='request_id: 9 delete { name: "db/password" environment: "production" }'
lock='request_id: 10 lock {}'
# The key file of every fuzz store (DispatchFuzzer.swift): bytes 00 01 ... 1f in hex.
unlock='request_id: 11 unlock { kind: KEY_FILE secret: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n" }'
audit_query='request_id: 12 audit_query { name: "db/password" limit: 5 }'
audit_verify='request_id: 13 audit_verify {}'
put_openai='request_id: 14 put { name: "openai/key" environment: "development" value: "sk-0123456789abcdef" }'
get_openai='request_id: 15 get { name: "openai/key" environment: "development" }'
keyslot_list='request_id: 16 keyslot_list {}'
keyslot_add='request_id: 17 keyslot_add { kind: KEY_FILE secret: "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100" }'
keyslot_remove='request_id: 18 keyslot_remove { keyslot_id: 1 }'
unlock_other='request_id: 19 unlock { kind: KEY_FILE secret: "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100" }'
batch_put_part='request_id: 20 batch_put { entries { name: "app/a" environment: "production" value: "first value" mode: BATCH_PUT_MODE_CREATE } more: true }'
batch_put_last='request_id: 21 batch_put { entries { name: "app/b" environment: "production" value: "second value" mode: BATCH_PUT_MODE_UNSPECIFIED rotate_every_seconds: 86400 generator { bytes: 16 format: "hex" } } }'
batch_put_dry='request_id: 22 batch_put { entries { name: "app/a" environment: "production" value: "again" mode: BATCH_PUT_MODE_SKIP_EXISTING } dry_run: true }'
batch_get='request_id: 23 batch_get { items { name: "app/a" environment: "production" } items { name: "app/b" environment: "production" } }'
rotate='request_id: 24 rotate { name: "app/b" environment: "production" }'

mkdir -p "$corpus/frame" "$corpus/dispatch"
frame "$hello" >"$corpus/frame/hello"
frame "$get" >"$corpus/frame/get"
frame "$put" >"$corpus/frame/put"
{ frame "$hello"; frame "$put"; frame "$get"; frame "$list"; } >"$corpus/frame/session"
printf '\x00\x00\x00\x00' >"$corpus/frame/zero-length"
printf '\x00\x10\x00\x01' >"$corpus/frame/oversize"
{ frame "$hello"; printf '\x00\x00\x00\x09\x08'; } >"$corpus/frame/truncated"

{ frame "$status"; frame "$put"; frame "$get"; frame "$get_v1_masked"; frame "$list"; frame "$history"; } >"$corpus/dispatch/put-get"
{ frame "$put"; frame "$update"; frame "$get_v1_masked"; frame "$get"; frame "$delete"; frame "$get"; frame "$history"; } >"$corpus/dispatch/update-delete"
{ frame "$put_openai"; frame "$lock"; frame "$get_openai"; frame "$unlock"; frame "$get_openai"; frame "$status"; } >"$corpus/dispatch/lock-unlock"
{ frame "$put"; frame "$get"; frame "$audit_query"; frame "$audit_verify"; } >"$corpus/dispatch/audit"
{ frame "$hello"; frame "$status"; } >"$corpus/dispatch/hello"
{ frame "$keyslot_list"; frame "$keyslot_add"; frame "$keyslot_remove"; frame "$keyslot_list"; frame "$lock"; frame "$unlock"; frame "$unlock_other"; } >"$corpus/dispatch/keyslots"
{ frame "$batch_put_part"; frame "$batch_put_last"; frame "$batch_put_dry"; frame "$batch_get"; frame "$rotate"; frame "$batch_get"; } >"$corpus/dispatch/batch-put"
echo "make-corpus: wrote $corpus/frame and $corpus/dispatch"
