#!/usr/bin/env bash
# Runs the operations guide (contrib/docs/operations.md): every ```sh block, in order, as
# root, with `set -euo pipefail`, inside a private mount and pid namespace (a copy of /etc, an
# empty tmpfs /run, and empty /var/lib, /var/backups and /usr/local/bin on disk), with systemctl stood in for by
# ops-sandbox-systemctl because CI has no systemd as PID 1. Nothing outside the sandbox
# changes, and every process it started dies with it. test.sh runs it, so the guide cannot rot.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "operations-guide: must run as root (it installs the service inside a private namespace) (run: sudo $0)" >&2; exit 1; }
work=$(mktemp -d /tmp/ops-guide.XXXXXX)
trap 'rm -rf "$work"' EXIT
awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on' contrib/docs/operations.md >"$work/guide.sh"
[ -s "$work/guide.sh" ] || { echo "operations-guide: no sh blocks found in contrib/docs/operations.md" >&2; exit 1; }
mkdir -p "$work/bin"
ln -s "$PWD/contrib/scripts/ops-sandbox-systemctl" "$work/bin/systemctl"
cp -a /etc "$work/etc" 2>/dev/null || true
unshare --mount --pid --fork --mount-proc bash -c '
  set -euo pipefail
  mount --make-rprivate /
  mount --bind "$1/etc" /etc
  # /var/lib and /var/backups on disk, as on a real host (systemd-creds refuses a host key on tmpfs).
  for d in /var/lib /var/backups /usr/local/bin; do mkdir -p "$1$d" "$d"; chmod 0755 "$1$d"; mount --bind "$1$d" "$d"; done
  mount -t tmpfs -o mode=0755 tmpfs /run
  export PATH="$1/bin:$PATH" SWIFT_BACKTRACE=enable=no
  unset SECRETS_AGENT_SOCK SECRETS_AGENT_STORE SECRETS_AGENT_ENV
  PS4="+ operations.md: "
  set -x
  . "$1/guide.sh"
  set +x
  echo "operations-guide: every command in contrib/docs/operations.md ran"
' operations-guide "$work"
