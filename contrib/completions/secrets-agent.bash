#!/bin/bash

__secrets-agent_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__secrets-agent_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__secrets-agent_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__secrets-agent_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_secrets-agent() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __secrets-agent_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|serve|unlock|lock|status|add|update|rotate|get|list|rm|history|exec|watch|derive|verify|inject|import|export|restore|scan|redact|keyslot|audit|policy|doctor|help)
        # Offer subcommand argument completions
        "_secrets-agent_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init serve unlock lock status add update rotate get list rm history exec watch derive verify inject import export restore scan redact keyslot audit policy doctor help' -- "${cur}"))
        ;;
    esac
}

_secrets-agent_init() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--store --passphrase-file --key-file --generate-key-file --cipher)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--passphrase-file')
        return
        ;;
    '--key-file')
        return
        ;;
    '--generate-key-file')
        return
        ;;
    '--cipher')
        return
        ;;
    esac
}

_secrets-agent_serve() {
    repeating_flags=()
    non_repeating_flags=(--durable-read-audit --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --store --unlock-key-file --unlock-credential --idle-lock --policy --socket-mode --audit-retention-days --rotation-check --upstream --upstream-mount --upstream-prefix --upstream-token-file --upstream-role-id-file --upstream-secret-id-file --upstream-ca-file --cache-ttl --max-stale --upstream-poll --log-level --credential-socket --credential-env)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--store')
        return
        ;;
    '--unlock-key-file')
        return
        ;;
    '--unlock-credential')
        return
        ;;
    '--idle-lock')
        return
        ;;
    '--policy')
        return
        ;;
    '--socket-mode')
        return
        ;;
    '--audit-retention-days')
        return
        ;;
    '--rotation-check')
        return
        ;;
    '--upstream')
        return
        ;;
    '--upstream-mount')
        return
        ;;
    '--upstream-prefix')
        return
        ;;
    '--upstream-token-file')
        return
        ;;
    '--upstream-role-id-file')
        return
        ;;
    '--upstream-secret-id-file')
        return
        ;;
    '--upstream-ca-file')
        return
        ;;
    '--cache-ttl')
        return
        ;;
    '--max-stale')
        return
        ;;
    '--upstream-poll')
        return
        ;;
    '--log-level')
        return
        ;;
    '--credential-socket')
        return
        ;;
    '--credential-env')
        return
        ;;
    esac
}

_secrets-agent_unlock() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --passphrase-file --key-file --credential)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--passphrase-file')
        return
        ;;
    '--key-file')
        return
        ;;
    '--credential')
        return
        ;;
    esac
}

_secrets-agent_lock() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_status() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_add() {
    repeating_flags=()
    non_repeating_flags=(--stdin --no-rotation --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --from-file --generate --format --rotate-every --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--from-file')
        return
        ;;
    '--generate')
        return
        ;;
    '--format')
        __secrets-agent_add_completions -W 'hex'$'\n''base64'$'\n''base64url'$'\n''raw'
        return
        ;;
    '--rotate-every')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_update() {
    repeating_flags=()
    non_repeating_flags=(--stdin --no-rotation --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --from-file --generate --format --if-version --rotate-every --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--from-file')
        return
        ;;
    '--generate')
        return
        ;;
    '--format')
        __secrets-agent_add_completions -W 'hex'$'\n''base64'$'\n''base64url'$'\n''raw'
        return
        ;;
    '--if-version')
        return
        ;;
    '--rotate-every')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_rotate() {
    repeating_flags=()
    non_repeating_flags=(--stdin --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --generate --format --if-version --rotate-every --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--generate')
        return
        ;;
    '--format')
        __secrets-agent_add_completions -W 'hex'$'\n''base64'$'\n''base64url'$'\n''raw'
        return
        ;;
    '--if-version')
        return
        ;;
    '--rotate-every')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_get() {
    repeating_flags=()
    non_repeating_flags=(--masked --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --version --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--version')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_list() {
    repeating_flags=()
    non_repeating_flags=(--all-environments --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --prefix --socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--prefix')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_rm() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--env --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_history() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_exec() {
    repeating_flags=()
    non_repeating_flags=(--no-redact --version -h --help)
    repeating_options=(--secret)
    non_repeating_options=(--env --files --on-change --restart-timeout --socket)
    __secrets-agent_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--secret')
        return
        ;;
    '--files')
        return
        ;;
    '--on-change')
        return
        ;;
    '--restart-timeout')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_watch() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --socket)
    __secrets-agent_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_derive() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--domain --length --env --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--domain')
        return
        ;;
    '--length')
        return
        ;;
    '--env')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_verify() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--env --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_inject() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--env --in --out --socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--in')
        return
        ;;
    '--out')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_import() {
    repeating_flags=()
    non_repeating_flags=(--overwrite --skip-existing --dry-run --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --format --from-env-prefix --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--format')
        __secrets-agent_add_completions -W 'dotenv'$'\n''json'
        return
        ;;
    '--from-env-prefix')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_export() {
    repeating_flags=()
    non_repeating_flags=(--all-environments --plaintext --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--env --prefix --encrypted-to --passphrase-file --out --format --socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--env')
        return
        ;;
    '--prefix')
        return
        ;;
    '--encrypted-to')
        return
        ;;
    '--passphrase-file')
        return
        ;;
    '--out')
        return
        ;;
    '--format')
        __secrets-agent_add_completions -W 'dotenv'$'\n''json'
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_restore() {
    repeating_flags=()
    non_repeating_flags=(--overwrite --skip-existing --dry-run --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--passphrase-file --env --socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--passphrase-file')
        return
        ;;
    '--env')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_scan() {
    repeating_flags=()
    non_repeating_flags=(--json --sarif --git --gitignore --version -h --help)
    repeating_options=()
    non_repeating_options=(--baseline --write-baseline --since --max-size --rules)
    __secrets-agent_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--baseline')
        return
        ;;
    '--write-baseline')
        return
        ;;
    '--since')
        return
        ;;
    '--max-size')
        return
        ;;
    '--rules')
        return
        ;;
    esac
}

_secrets-agent_redact() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_keyslot() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __secrets-agent_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|rm|list)
        # Offer subcommand argument completions
        "_secrets-agent_keyslot_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add rm list' -- "${cur}"))
        ;;
    esac
}

_secrets-agent_keyslot_add() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--passphrase-file --key-file --generate-key-file --credential --socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--passphrase-file')
        return
        ;;
    '--key-file')
        return
        ;;
    '--generate-key-file')
        return
        ;;
    '--credential')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_keyslot_rm() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __secrets-agent_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_keyslot_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_audit() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __secrets-agent_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show|verify)
        # Offer subcommand argument completions
        "_secrets-agent_audit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show verify' -- "${cur}"))
        ;;
    esac
}

_secrets-agent_audit_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--since --name --socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--since')
        return
        ;;
    '--name')
        return
        ;;
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_audit_verify() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--socket)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    esac
}

_secrets-agent_policy() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __secrets-agent_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    check|explain)
        # Offer subcommand argument completions
        "_secrets-agent_policy_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'check explain' -- "${cur}"))
        ;;
    esac
}

_secrets-agent_policy_check() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __secrets-agent_offer_flags_options 1
}

_secrets-agent_policy_explain() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--uid --exe --unit --policy)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uid')
        return
        ;;
    '--exe')
        return
        ;;
    '--unit')
        return
        ;;
    '--policy')
        return
        ;;
    esac
}

_secrets-agent_doctor() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--key-file --check-path)
    non_repeating_options=(--store --socket --policy --unit)
    __secrets-agent_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--socket')
        return
        ;;
    '--key-file')
        return
        ;;
    '--policy')
        return
        ;;
    '--check-path')
        return
        ;;
    '--unit')
        return
        ;;
    esac
}

_secrets-agent_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __secrets-agent_offer_flags_options -1
}

complete -o filenames -F _secrets-agent secrets-agent
