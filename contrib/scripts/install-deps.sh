#!/usr/bin/env bash
# Installs the Debian packages secrets-agent builds and tests against, when any is missing.
# Swift itself is expected on PATH (https://www.swift.org/install/linux/).
set -euo pipefail
packages=(libsodium-dev libsqlite3-dev sqlite3 pkg-config protobuf-compiler libprotobuf-c-dev protobuf-c-compiler util-linux passwd e2fsprogs make gcc libc6-dev python3 python3-protobuf python3-venv git systemd)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "install-deps: swift is not on PATH (see https://www.swift.org/install/linux/)" >&2; exit 1; }
