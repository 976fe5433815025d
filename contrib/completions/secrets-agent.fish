function __secrets-agent_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __secrets-agent_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __secrets-agent_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __secrets-agent_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __secrets-agent_parse_tokens -S
    set -l unparsed_tokens (__secrets-agent_tokens -pc)
    switch $unparsed_tokens[1]
    case 'secrets-agent'
        __secrets-agent_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'init'
            __secrets-agent_parse_subcommand 0 'store=' 'passphrase-file=' 'key-file=' 'generate-key-file=' 'cipher=' 'version' 'h/help'
        case 'serve'
            __secrets-agent_parse_subcommand 0 'socket=' 'store=' 'unlock-key-file=' 'unlock-credential=' 'idle-lock=' 'policy=' 'socket-mode=' 'audit-retention-days=' 'rotation-check=' 'upstream=' 'upstream-mount=' 'upstream-prefix=' 'upstream-token-file=' 'upstream-role-id-file=' 'upstream-secret-id-file=' 'upstream-ca-file=' 'cache-ttl=' 'max-stale=' 'upstream-poll=' 'log-level=' 'credential-socket=' 'credential-env=' 'durable-read-audit' 'version' 'h/help'
        case 'unlock'
            __secrets-agent_parse_subcommand 0 'socket=' 'passphrase-file=' 'key-file=' 'credential=' 'version' 'h/help'
        case 'lock'
            __secrets-agent_parse_subcommand 0 'socket=' 'version' 'h/help'
        case 'status'
            __secrets-agent_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
        case 'add'
            __secrets-agent_parse_subcommand 1 'env=' 'stdin' 'from-file=' 'generate=' 'format=' 'rotate-every=' 'no-rotation' 'socket=' 'version' 'h/help'
        case 'update'
            __secrets-agent_parse_subcommand 1 'env=' 'stdin' 'from-file=' 'generate=' 'format=' 'if-version=' 'rotate-every=' 'no-rotation' 'socket=' 'version' 'h/help'
        case 'rotate'
            __secrets-agent_parse_subcommand 1 'env=' 'stdin' 'generate=' 'format=' 'if-version=' 'rotate-every=' 'socket=' 'version' 'h/help'
        case 'get'
            __secrets-agent_parse_subcommand 1 'env=' 'version=' 'masked' 'socket=' 'version' 'h/help'
        case 'list'
            __secrets-agent_parse_subcommand 0 'env=' 'all-environments' 'prefix=' 'json' 'socket=' 'version' 'h/help'
        case 'rm'
            __secrets-agent_parse_subcommand 1 'env=' 'socket=' 'version' 'h/help'
        case 'history'
            __secrets-agent_parse_subcommand 1 'env=' 'json' 'socket=' 'version' 'h/help'
        case 'exec'
            __secrets-agent_parse_subcommand -r 1 'env=' 'secret=+' 'files=' 'no-redact' 'on-change=' 'restart-timeout=' 'socket=' 'version' 'h/help'
        case 'watch'
            __secrets-agent_parse_subcommand -r 1 'env=' 'json' 'socket=' 'version' 'h/help'
        case 'derive'
            __secrets-agent_parse_subcommand 1 'domain=' 'length=' 'env=' 'socket=' 'version' 'h/help'
        case 'verify'
            __secrets-agent_parse_subcommand 1 'env=' 'socket=' 'version' 'h/help'
        case 'inject'
            __secrets-agent_parse_subcommand 0 'env=' 'in=' 'out=' 'socket=' 'version' 'h/help'
        case 'import'
            __secrets-agent_parse_subcommand 1 'env=' 'format=' 'from-env-prefix=' 'overwrite' 'skip-existing' 'dry-run' 'json' 'socket=' 'version' 'h/help'
        case 'export'
            __secrets-agent_parse_subcommand 0 'env=' 'all-environments' 'prefix=' 'encrypted-to=' 'passphrase-file=' 'plaintext' 'out=' 'format=' 'force' 'socket=' 'version' 'h/help'
        case 'restore'
            __secrets-agent_parse_subcommand 1 'passphrase-file=' 'env=' 'overwrite' 'skip-existing' 'dry-run' 'json' 'socket=' 'version' 'h/help'
        case 'scan'
            __secrets-agent_parse_subcommand -r 1 'json' 'sarif' 'baseline=' 'write-baseline=' 'git' 'since=' 'gitignore' 'max-size=' 'rules=' 'version' 'h/help'
        case 'redact'
            __secrets-agent_parse_subcommand 1 'socket=' 'version' 'h/help'
        case 'keyslot'
            __secrets-agent_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'add'
                __secrets-agent_parse_subcommand 0 'passphrase-file=' 'key-file=' 'generate-key-file=' 'credential=' 'socket=' 'version' 'h/help'
            case 'rm'
                __secrets-agent_parse_subcommand 1 'socket=' 'version' 'h/help'
            case 'list'
                __secrets-agent_parse_subcommand 0 'json' 'socket=' 'version' 'h/help'
            end
        case 'audit'
            __secrets-agent_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'show'
                __secrets-agent_parse_subcommand 0 'since=' 'name=' 'json' 'socket=' 'version' 'h/help'
            case 'verify'
                __secrets-agent_parse_subcommand 0 'socket=' 'version' 'h/help'
            end
        case 'policy'
            __secrets-agent_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'check'
                __secrets-agent_parse_subcommand 1 'version' 'h/help'
            case 'explain'
                __secrets-agent_parse_subcommand 0 'uid=' 'exe=' 'unit=' 'policy=' 'version' 'h/help'
            end
        case 'doctor'
            __secrets-agent_parse_subcommand 0 'json' 'store=' 'socket=' 'key-file=+' 'policy=' 'check-path=+' 'unit=' 'version' 'h/help'
        case 'help'
            __secrets-agent_parse_subcommand -r 1 'version'
        end
    end
end

function __secrets-agent_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __secrets-agent_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __secrets-agent_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __secrets-agent_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__secrets-agent_tokens -p)
    if test -z "$(__secrets-agent_tokens -t)"
        set -l index (count (__secrets-agent_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'secrets-agent' -f
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'init' -d 'Create a new store with a random master key, wrapped in its first keyslot.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'serve' -d 'Run the agent in the foreground.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'unlock' -d 'Unlock the agent with a passphrase, key file or systemd credential.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'lock' -d 'Lock the agent: it forgets the master key at once.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'status' -d 'Show whether the agent is reachable and locked, and what it serves.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'add' -d 'Add a new secret (exit 8 if it already exists).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'update' -d 'Store a new version of an existing secret (exit 3 if it does not exist).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'rotate' -d 'Store a new version of an existing secret and tell everyone watching it.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'get' -d 'Write a secret\'s value to stdout, exactly (no newline added).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'list' -d 'List secrets: names and metadata, never values.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'rm' -d 'Delete a secret and all its versions.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'history' -d 'List the kept versions of a secret, newest first (metadata only).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'exec' -d 'Run a command with secrets in its environment (or files), its output redacted.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'watch' -d 'Print a line for every change to secrets you may list, until interrupted.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'derive' -d 'Print a subkey of a secret for one purpose, as hex (HKDF-SHA256, domain-separated).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'verify' -d 'Check a token on stdin against a secret: exit 0 if it matches, 1 if not.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'inject' -d 'Render a template, replacing each {{ secret "NAME" }} with the secret\'s value.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'import' -d 'Import secrets from a dotenv or JSON file, all or nothing.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'export' -d 'Export secrets to an encrypted backup (or, explicitly, a plaintext file).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'restore' -d 'Restore secrets from an encrypted backup made by export, all or nothing.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'scan' -d 'Find credentials in files, directories, stdin or git history; print where they are, never their values.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'redact' -d 'Copy standard input (or FILE) to standard output with every credential and every secret value you may read replaced.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'keyslot' -d 'Manage the keyslots that wrap the master key (admin, agent unlocked).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'audit' -d 'Show or verify the audit trail.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'policy' -d 'Validate a policy file, or show which rule applies to a caller.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'doctor' -d 'Check this host\'s setup and print the command that fixes each problem (exit 1 when any check fails).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent init" store' -l 'store' -d 'The store file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent init" passphrase-file' -l 'passphrase-file' -d 'Protect the store with the passphrase in this file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent init" key-file' -l 'key-file' -d 'Protect the store with this existing key file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent init" generate-key-file' -l 'generate-key-file' -d 'Create a new key file (0600) and protect the store with it.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent init" cipher' -l 'cipher' -d 'Value cipher: xchacha20poly1305 (default) or aes256gcm (needs AES-NI).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent init" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" store' -l 'store' -d 'The store file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" unlock-key-file' -l 'unlock-key-file' -d 'Unlock at start with this key file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" unlock-credential' -l 'unlock-credential' -d 'Unlock at start with this systemd credential (from $CREDENTIALS_DIRECTORY).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" idle-lock' -l 'idle-lock' -d 'Lock after this many seconds without a request (0: never).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" policy' -l 'policy' -d 'The policy file (TOML); SIGHUP reloads it. Without one only your own uid is served.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" socket-mode' -l 'socket-mode' -d 'The socket\'s mode in octal, instead of the one the policy implies (0600, 0660 or 0666).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" audit-retention-days' -l 'audit-retention-days' -d 'Prune audit entries older than this, leaving a checkpoint (0: keep all).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" rotation-check' -l 'rotation-check' -d 'Look for secrets due for rotation every this many seconds; generated ones are redrawn, others reported overdue.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" upstream' -l 'upstream' -d 'An OpenBao or Vault server (https://host:8200) whose KV v2 mount holds the secrets; the store becomes its encrypted cache.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" upstream-mount' -l 'upstream-mount' -d 'The KV v2 mount.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" upstream-prefix' -l 'upstream-prefix' -d 'A path inside the mount: NAME in ENV lives at <prefix>/<ENV>/<NAME>.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" upstream-token-file' -l 'upstream-token-file' -d 'Authenticate with the token in this file (owner-only, like a key file).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" upstream-role-id-file' -l 'upstream-role-id-file' -d 'Authenticate with AppRole: the role_id in this file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" upstream-secret-id-file' -l 'upstream-secret-id-file' -d 'Authenticate with AppRole: the secret_id in this file (owner-only).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" upstream-ca-file' -l 'upstream-ca-file' -d 'Trust the CA certificates in this PEM file for the upstream\'s TLS.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" cache-ttl' -l 'cache-ttl' -d 'Serve a cached value this long without asking the upstream (0: always ask).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" max-stale' -l 'max-stale' -d 'When the upstream is unreachable, serve cached values up to this old, marked stale.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" upstream-poll' -l 'upstream-poll' -d 'Ask the upstream this often whether cached secrets changed, and tell watchers.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" log-level' -l 'log-level' -d 'trace, debug, info, notice, warning or error.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" credential-socket' -l 'credential-socket' -d 'Also serve systemd\'s LoadCredential=ID:PATH on this socket (0600), to units the policy names with unit = "NAME.service".' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" credential-env' -l 'credential-env' -d 'The environment credentials are read from when the unit\'s rule does not name exactly one (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" durable-read-audit' -l 'durable-read-audit' -d 'Answer a read only once its audit entry is on disk (each get then waits for an fsync; by default read entries are committed within 2 ms of the reply, writes always before theirs).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent unlock" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent unlock" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from this file (owner-only).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent unlock" key-file' -l 'key-file' -d 'Unlock with this key file (owner-only).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent unlock" credential' -l 'credential' -d 'Unlock with this systemd credential, from $CREDENTIALS_DIRECTORY.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent unlock" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent unlock" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent lock" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent lock" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent lock" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent status" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent status" json' -l 'json' -d 'Print one JSON object.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent status" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" stdin' -l 'stdin' -d 'Read the value from standard input (binary-safe, nothing trimmed).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" from-file' -l 'from-file' -d 'Read the value from a file (binary-safe).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" generate' -l 'generate' -d 'Generate BYTES random bytes; the value is printed nowhere.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" format' -l 'format' -d 'Encoding of a generated value: hex, base64, base64url or raw.' -rfka 'hex base64 base64url raw'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" rotate-every' -l 'rotate-every' -d 'Due for rotation this long after each change, e.g. 30d, 12h, 1w. Values the agent generated are redrawn when due; others are reported overdue by list and status.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" no-rotation' -l 'no-rotation' -d 'Remove the rotation policy.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" stdin' -l 'stdin' -d 'Read the value from standard input (binary-safe, nothing trimmed).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" from-file' -l 'from-file' -d 'Read the value from a file (binary-safe).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" generate' -l 'generate' -d 'Generate BYTES random bytes; the value is printed nowhere.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" format' -l 'format' -d 'Encoding of a generated value: hex, base64, base64url or raw.' -rfka 'hex base64 base64url raw'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" if-version' -l 'if-version' -d 'Only update if the current version is N.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" rotate-every' -l 'rotate-every' -d 'Due for rotation this long after each change, e.g. 30d, 12h, 1w. Values the agent generated are redrawn when due; others are reported overdue by list and status.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" no-rotation' -l 'no-rotation' -d 'Remove the rotation policy.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent update" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" stdin' -l 'stdin' -d 'Read the new value from standard input (binary-safe, nothing trimmed).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" generate' -l 'generate' -d 'Let the agent draw BYTES random bytes; the value is printed nowhere.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" format' -l 'format' -d 'Encoding of a generated value: hex, base64, base64url or raw.' -rfka 'hex base64 base64url raw'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" if-version' -l 'if-version' -d 'Only rotate if the current version is N (exit 8 otherwise).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" rotate-every' -l 'rotate-every' -d 'Also set the rotation policy, e.g. 30d.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rotate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent get" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent get" version' -l 'version' -d 'A kept earlier version (see: secrets-agent history).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent get" masked' -l 'masked' -d 'Print the masked value instead.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent get" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent get" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent get" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent list" env' -l 'env' -d 'Only this environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent list" all-environments' -l 'all-environments' -d 'List every environment.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent list" prefix' -l 'prefix' -d 'Only names starting with this prefix.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent list" json' -l 'json' -d 'Print a JSON array.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent list" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent list" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rm" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rm" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rm" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent rm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent history" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent history" json' -l 'json' -d 'Print a JSON object with a versions array.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent history" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent history" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent history" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec"' -l 'secret' -d 'Give secret NAME as variable VAR (repeatable).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec" files' -l 'files' -d 'Write the secrets as files in this new directory instead of variables.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec" no-redact' -l 'no-redact' -d 'Do not filter the command\'s output.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec" on-change' -l 'on-change' -d 'When an injected secret is rotated: restart, signal:NAME or none.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec" restart-timeout' -l 'restart-timeout' -d 'Seconds a restart waits after TERM before KILL.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent exec" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent watch" env' -l 'env' -d 'Only this environment (default: every environment).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent watch" json' -l 'json' -d 'Print one JSON object per line.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent watch" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent watch" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent derive" domain' -l 'domain' -d 'What the key is for, e.g. billing/webhook-signing.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent derive" length' -l 'length' -d 'Key length in bytes, 16 to 64.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent derive" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent derive" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent derive" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent derive" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent verify" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent verify" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent verify" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent inject" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent inject" in' -l 'in' -d 'Read the template from this file (default: standard input; at most 1 MiB).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent inject" out' -l 'out' -d 'Write the result to this file, mode 0600, replacing it atomically (default: standard output).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent inject" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent inject" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent inject" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" env' -l 'env' -d 'The environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" format' -l 'format' -d 'dotenv or json (default: json for a .json file, else dotenv).' -rfka 'dotenv json'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" from-env-prefix' -l 'from-env-prefix' -d 'Only keys starting with PREFIX_, mapped to names (PREFIX_A_B → a/b).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" overwrite' -l 'overwrite' -d 'Update secrets that already exist (a new version).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" skip-existing' -l 'skip-existing' -d 'Leave secrets that already exist as they are.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" dry-run' -l 'dry-run' -d 'Check everything and report what would happen; write nothing.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" json' -l 'json' -d 'Print a JSON object with created, updated and skipped arrays.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" env' -l 'env' -d 'Only this environment (default: $SECRETS_AGENT_ENV, else development).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" all-environments' -l 'all-environments' -d 'Export every environment.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" prefix' -l 'prefix' -d 'Only names starting with this prefix.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" encrypted-to' -l 'encrypted-to' -d 'Write an encrypted backup to this file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" passphrase-file' -l 'passphrase-file' -d 'Read the backup passphrase from this file (owner-only).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" plaintext' -l 'plaintext' -d 'Write values in the clear (needs --out).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" out' -l 'out' -d 'The plaintext output file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" format' -l 'format' -d 'Plaintext format: dotenv or json.' -rfka 'dotenv json'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" force' -l 'force' -d 'Replace an existing output file.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" passphrase-file' -l 'passphrase-file' -d 'Read the backup passphrase from this file (owner-only).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" env' -l 'env' -d 'Only restore this environment.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" overwrite' -l 'overwrite' -d 'Update secrets that already exist (a new version).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" skip-existing' -l 'skip-existing' -d 'Leave secrets that already exist as they are.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" dry-run' -l 'dry-run' -d 'Check everything and report what would happen; write nothing.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" json' -l 'json' -d 'Print a JSON object with created, updated and skipped arrays.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent restore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" json' -l 'json' -d 'Print one JSON array of findings.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" sarif' -l 'sarif' -d 'Print a SARIF 2.1.0 log.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" baseline' -l 'baseline' -d 'Leave out the findings recorded in this file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" write-baseline' -l 'write-baseline' -d 'Record every finding in this file (mode 0644) and exit 0.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" git' -l 'git' -d 'Scan the lines added by each commit of the repository at PATH.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" since' -l 'since' -d 'With --git: only the commits after this revision (REV..HEAD).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" gitignore' -l 'gitignore' -d 'Leave out what .gitignore excludes.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" max-size' -l 'max-size' -d 'Leave out files larger than this.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" rules' -l 'rules' -d 'Only these rules (comma-separated ids).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent scan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent redact" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent redact" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent redact" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent keyslot" -eq 1' -fa 'add' -d 'Add a keyslot; with no option, asks for a new passphrase twice on the terminal.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent keyslot" -eq 1' -fa 'rm' -d 'Remove a keyslot (not the last one).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent keyslot" -eq 1' -fa 'list' -d 'List keyslots (never their contents).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot add" passphrase-file' -l 'passphrase-file' -d 'A passphrase in this file (owner-only).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot add" key-file' -l 'key-file' -d 'An existing key file (owner-only).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot add" generate-key-file' -l 'generate-key-file' -d 'Create a new key file (0600) for the slot.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot add" credential' -l 'credential' -d 'A systemd credential from $CREDENTIALS_DIRECTORY.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot add" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot add" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot rm" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot rm" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot rm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot list" json' -l 'json' -d 'Print a JSON array.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot list" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot list" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent keyslot list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent audit" -eq 1' -fa 'show' -d 'List audit entries, oldest first.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent audit" -eq 1' -fa 'verify' -d 'Check the audit trail\'s hash chain (exit 7 and the first bad entry when it was edited, removed or reordered).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit show" since' -l 'since' -d 'Only entries since TIME: RFC 3339 (2026-01-02T03:04:05Z), a date (2026-01-02), or an age (30m, 12h, 7d).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit show" name' -l 'name' -d 'Only entries naming this secret.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit show" json' -l 'json' -d 'Print a JSON array.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit show" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit show" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit verify" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit verify" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent audit verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent policy" -eq 1' -fa 'check' -d 'Validate a policy file and print its effective rules (exit 64 with file:line when invalid).'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_positional "secrets-agent policy" -eq 1' -fa 'explain' -d 'Print which rule of a policy applies to a uid (and executable) or to a systemd unit\'s LoadCredential=, and what it grants.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy check" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy explain" uid' -l 'uid' -d 'The caller\'s uid.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy explain" exe' -l 'exe' -d 'The caller\'s executable, as /proc/PID/exe shows it.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy explain" unit' -l 'unit' -d 'A systemd unit reading credentials from the credential socket, e.g. web.service.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy explain" policy' -l 'policy' -d 'The policy file (default: $SECRETS_AGENT_POLICY, else /etc/secrets-agent/policy.toml).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy explain" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent policy explain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor" json' -l 'json' -d 'Print a JSON array of {check, status, detail, fix}.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor" store' -l 'store' -d 'The store file.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor" socket' -l 'socket' -d 'The agent\'s socket.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor"' -l 'key-file' -d 'A key file to check (repeatable).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor" policy' -l 'policy' -d 'A policy file to check.' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor"' -l 'check-path' -d 'Look for secret-looking files others can read under this directory (repeatable).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor" unit' -l 'unit' -d 'The systemd unit to check (default: /etc/systemd/system/secrets-agent.service if present).' -rfka ''
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor" version' -l 'version' -d 'Show the version.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent doctor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'secrets-agent' -n '__secrets-agent_should_offer_completions_for_flags_or_options "secrets-agent help" version' -l 'version' -d 'Show the version.'
