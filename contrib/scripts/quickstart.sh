#!/usr/bin/env bash
# Sets up and starts a working agent on the embedded SQLite store, in the foreground:
# installs the system packages, builds a release binary, creates a store and a key file on
# first run, then serves. Stop it with Ctrl-C; talk to it from a second terminal.
set -euo pipefail
cd "$(dirname "$0")/../.."
contrib/scripts/install-deps.sh
swift build -c release --static-swift-stdlib --product secrets-agent >&2
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/secrets-agent
if [ "$(id -u)" -eq 0 ]; then
  data=/var/lib/secrets-agent; run=/run/secrets-agent; conf=/etc/secrets-agent
else
  data=${XDG_DATA_HOME:-$HOME/.local/share}/secrets-agent
  run=${XDG_RUNTIME_DIR:-/tmp/secrets-agent-$(id -u)}/secrets-agent
  conf=${XDG_CONFIG_HOME:-$HOME/.config}/secrets-agent
fi
mkdir -p -m 700 "$data" "$conf"
store=$data/store.db; key=$conf/master.key; sock=$run/agent.sock
if [ ! -f "$store" ]; then
  "$bin" init --store "$store" --generate-key-file "$key"
fi
cat >&2 <<INFO
secrets-agent is starting. In a second terminal:
  export SECRETS_AGENT_SOCK=$sock
  alias secrets-agent=$bin
  printf %s 'my-api-key' | secrets-agent add openai/key --stdin
  secrets-agent get openai/key
INFO
exec "$bin" serve --socket "$sock" --store "$store" --unlock-key-file "$key"
