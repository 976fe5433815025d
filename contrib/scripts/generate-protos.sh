#!/usr/bin/env bash
# Regenerates Sources/SecretsProtocol/Generated from proto/ with protoc and protoc-gen-swift,
# and contrib/python/secrets_agent_client/agent_pb2.py with protoc's built-in Python generator.
# protoc-gen-swift is built from the pinned swift-protobuf checkout (release, ~65 s once).
# Usage: contrib/scripts/generate-protos.sh [--check]   (--check: fail if the committed code is stale)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v protoc >/dev/null || { echo "generate-protos: protoc not found (run: apt-get install protobuf-compiler)" >&2; exit 1; }
plugin_dir=.build-protoc-gen-swift
if [ ! -x "$plugin_dir/release/protoc-gen-swift" ]; then
  swift package resolve >/dev/null
  src=$(find .build/checkouts -maxdepth 1 -name 'swift-protobuf*' | head -1)
  [ -n "$src" ] || { echo "generate-protos: swift-protobuf checkout not found" >&2; exit 1; }
  swift build -c release --package-path "$src" --scratch-path "$plugin_dir" --product protoc-gen-swift >&2
fi
out=Sources/SecretsProtocol/Generated
target=$out
if [ "${1:-}" = "--check" ]; then target=$(mktemp -d); fi
protoc --plugin=protoc-gen-swift="$plugin_dir/release/protoc-gen-swift" \
  --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
  --swift_out="$target" -I proto proto/secrets_agent/v1/agent.proto
if [ "${1:-}" = "--check" ]; then
  if ! diff -r -x README.md "$out" "$target" >/dev/null; then
    echo "generate-protos: committed code in $out is stale (run: contrib/scripts/generate-protos.sh)" >&2
    rm -rf "$target"; exit 1
  fi
  rm -rf "$target"
fi

# Python: protoc writes secrets_agent/v1/agent_pb2.py (the descriptor keeps its canonical
# name, secrets_agent/v1/agent.proto); it moves into the package, which imports it
# relatively, and its classes' __module__ names the module where they now live.
py_out=contrib/python/secrets_agent_client/agent_pb2.py
py_tmp=$(mktemp -d)
protoc --python_out="$py_tmp" -I proto proto/secrets_agent/v1/agent.proto
sed "s/'secrets_agent\.v1\.agent_pb2'/'secrets_agent_client.agent_pb2'/" \
  "$py_tmp/secrets_agent/v1/agent_pb2.py" > "$py_tmp/agent_pb2.py"
if [ "${1:-}" = "--check" ]; then
  if ! cmp -s "$py_out" "$py_tmp/agent_pb2.py"; then
    echo "generate-protos: committed code in $py_out is stale (run: contrib/scripts/generate-protos.sh)" >&2
    rm -rf "$py_tmp"; exit 1
  fi
  rm -rf "$py_tmp"; echo "generated code is up to date"
else
  mv "$py_tmp/agent_pb2.py" "$py_out"
  rm -rf "$py_tmp"
fi
