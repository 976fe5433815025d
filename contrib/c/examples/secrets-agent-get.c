/*
 * secrets-agent-get: read one secret, or list secrets, through libsecrets_agent.
 *
 *   secrets-agent-get [--socket P] [--env E] [--version N] NAME
 *       writes the value to stdout exactly, with no newline added
 *   secrets-agent-get --list [--socket P] [--env E] [--prefix P]
 *       prints NAME<TAB>ENV<TAB>VERSION per secret (every environment without --env)
 *
 * Errors are one line on stderr, `secrets-agent-get: <what failed>: <why>`, and never
 * hold a value. Exit codes are the CLI's (DESIGN §11): 0 ok, 1 other failure, 3 not
 * found, 4 permission denied, 5 agent locked, 6 no agent reachable, 7 integrity
 * failure, 8 already exists or conflict, 64 usage.
 */
#include "secrets_agent.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROGRAM "secrets-agent-get"
#define USAGE "usage: " PROGRAM " [--socket P] [--env E] [--version N] NAME | " PROGRAM " --list [--socket P] [--env E] [--prefix P]"

enum { EXIT_NOT_FOUND = 3, EXIT_DENIED = 4, EXIT_LOCKED = 5, EXIT_UNREACHABLE = 6,
       EXIT_INTEGRITY = 7, EXIT_EXISTS = 8, EXIT_USAGE = 64 };

/* The one place error codes become exit codes, as the CLI's ExitStatus. */
static int exit_code(sa_code code)
{
    switch (code) {
    case SA_OK: return 0;
    case SA_ERR_NOT_FOUND: return EXIT_NOT_FOUND;
    case SA_ERR_PERMISSION_DENIED: return EXIT_DENIED;
    case SA_ERR_LOCKED: return EXIT_LOCKED;
    case SA_ERR_UNAVAILABLE: return EXIT_UNREACHABLE;
    case SA_ERR_INTEGRITY_FAILURE: return EXIT_INTEGRITY;
    case SA_ERR_ALREADY_EXISTS:
    case SA_ERR_CONFLICT: return EXIT_EXISTS;
    case SA_ERR_INVALID_ARGUMENT: return EXIT_USAGE;
    default: return 1;
    }
}

static int usage_error(const char *why)
{
    fprintf(stderr, PROGRAM ": invalid arguments: %s (" USAGE ")\n", why);
    return EXIT_USAGE;
}

/* Parses a decimal version number; 0 means the current version. */
static int parse_version(const char *text, uint64_t *version)
{
    if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text)) return -1;
    errno = 0;
    unsigned long long parsed = strtoull(text, NULL, 10);
    if (errno == ERANGE) return -1;
    *version = (uint64_t)parsed;
    return 0;
}

/* Writes all of `data` to stdout; 0 or the errno that stopped it. */
static int write_stdout(const unsigned char *data, size_t length)
{
    while (length > 0) {
        ssize_t written = write(STDOUT_FILENO, data, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += written;
        length -= (size_t)written;
    }
    return 0;
}

static int get(sa_client *client, const char *name, const char *environment, uint64_t version)
{
    sa_value value;
    sa_error err;
    if (sa_get(client, name, environment, version, &value, &err) != 0) {
        if (environment != NULL) {
            fprintf(stderr, PROGRAM ": cannot get %s in %s: %s\n", name, environment, err.message);
        } else {
            fprintf(stderr, PROGRAM ": cannot get %s: %s\n", name, err.message);
        }
        return exit_code(err.code);
    }
    int status = write_stdout(value.data, value.len);
    sa_value_free(&value);
    if (status != 0) {
        fprintf(stderr, PROGRAM ": cannot write the value to stdout: %s\n", strerror(status));
        return 1;
    }
    return 0;
}

static int list(sa_client *client, const char *environment, const char *prefix)
{
    sa_list_result secrets;
    sa_error err;
    if (sa_list(client, environment, prefix, &secrets, &err) != 0) {
        fprintf(stderr, PROGRAM ": cannot list secrets: %s\n", err.message);
        return exit_code(err.code);
    }
    for (size_t i = 0; i < secrets.count; i++) {
        const sa_list_entry *entry = &secrets.entries[i];
        printf("%s\t%s\t%" PRIu64 "\n", entry->name, entry->environment, entry->version);
    }
    sa_list_free(&secrets);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROGRAM ": cannot write the list to stdout: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"socket", required_argument, NULL, 's'},
        {"env", required_argument, NULL, 'e'},
        {"version", required_argument, NULL, 'v'},
        {"prefix", required_argument, NULL, 'p'},
        {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *socket_path = NULL, *environment = NULL, *prefix = NULL;
    uint64_t version = 0;
    int listing = 0, have_version = 0;
    char why[160];

    opterr = 0;
    for (;;) {
        int index = 0;
        int option = getopt_long(argc, argv, ":h", options, &index);
        if (option == -1) break;
        switch (option) {
        case 's': socket_path = optarg; break;
        case 'e': environment = optarg; break;
        case 'p': prefix = optarg; break;
        case 'l': listing = 1; break;
        case 'v':
            if (parse_version(optarg, &version) != 0) {
                snprintf(why, sizeof why, "--version takes a number, not '%.64s'", optarg);
                return usage_error(why);
            }
            have_version = 1;
            break;
        case 'h':
            printf("%s\n", USAGE);
            return 0;
        case ':':
            snprintf(why, sizeof why, "%.64s needs a value", argv[optind - 1]);
            return usage_error(why);
        default:
            snprintf(why, sizeof why, "unknown option %.64s", argv[optind - 1]);
            return usage_error(why);
        }
    }
    int operands = argc - optind;
    if (listing) {
        if (operands != 0) return usage_error("--list takes no NAME");
        if (have_version) return usage_error("--version applies to a NAME, not --list");
    } else {
        if (operands != 1) return usage_error(operands == 0 ? "give one NAME" : "give exactly one NAME");
        if (prefix != NULL) return usage_error("--prefix applies to --list");
    }

    sa_error err;
    sa_client *client = sa_connect(socket_path, &err);
    if (client == NULL) {
        fprintf(stderr, PROGRAM ": %s\n", err.message);
        return exit_code(err.code);
    }
    int status = listing ? list(client, environment, prefix) : get(client, argv[optind], environment, version);
    sa_close(client);
    return status;
}
