/*
 * secrets_agent.h: a small blocking C client for secrets-agent.
 *
 * Talks the agent's wire protocol (proto/secrets_agent/v1/README.md): 4-byte big-endian
 * length frames of at most 1 MiB, each holding one protobuf `Request` or `Response`.
 * One function per request, all through one request/reply routine that checks the
 * request id echo and caps the reply size, as OpenSSH's authfd.c does.
 *
 * Conventions:
 *   - Functions that can fail return 0 on success and -1 on failure, and fill `*err`
 *     when `err` is not NULL. `sa_connect` returns NULL on failure.
 *   - Error messages are one line, lower case, and never contain a secret value.
 *   - Every buffer that held a response frame or a value is wiped (explicit_bzero)
 *     before it is freed, including protobuf-c's own decoded copies.
 *   - An `sa_client` is not thread-safe: use one per thread, or lock around it.
 *   - A call that fails with SA_ERR_IO, SA_ERR_PROTOCOL or SA_ERR_UNAVAILABLE leaves the
 *     connection unusable; every later call on it fails at once. Close it and connect
 *     again. An error answered by the agent (the codes it sends) leaves it usable.
 */
#ifndef SECRETS_AGENT_H
#define SECRETS_AGENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The protocol version this library speaks, sent in Hello. */
#define SA_PROTOCOL_VERSION 1

/** The client name this library sends in Hello. */
#define SA_CLIENT_NAME "secrets-agent-c/0.1"

/** The largest frame body either side may send (DESIGN §3). */
#define SA_MAX_FRAME_BYTES (1024u * 1024u)

/**
 * What went wrong. Values 1 to 10 are the agent's wire `ErrorCode`s and keep their
 * numbers; SA_ERR_IO and SA_ERR_PROTOCOL are failures found on this side.
 */
typedef enum sa_code {
    SA_OK = 0,
    /** The request was malformed: a bad name, environment or argument. */
    SA_ERR_INVALID_ARGUMENT = 1,
    /** No such secret, environment or version. */
    SA_ERR_NOT_FOUND = 2,
    /** The secret already exists (not returned by reads). */
    SA_ERR_ALREADY_EXISTS = 3,
    /** The agent's policy refuses this caller, or the socket's mode keeps it out. */
    SA_ERR_PERMISSION_DENIED = 4,
    /** The agent holds no master key (run: secrets-agent unlock). */
    SA_ERR_LOCKED = 5,
    /** A check-and-set lost (not returned by reads). */
    SA_ERR_CONFLICT = 6,
    /** A stored ciphertext failed authentication. */
    SA_ERR_INTEGRITY_FAILURE = 7,
    /** No agent answers at the socket, or it closed the connection. */
    SA_ERR_UNAVAILABLE = 8,
    /** The agent ran out of a resource. */
    SA_ERR_RESOURCE_EXHAUSTED = 9,
    /** The agent failed, or sent a code this library does not know. */
    SA_ERR_INTERNAL = 10,
    /** A local failure: socket(2), send/recv errors, out of memory. */
    SA_ERR_IO = 100,
    /** The agent broke the protocol: bad frame length, undecodable or unexpected reply,
     *  request id not echoed. */
    SA_ERR_PROTOCOL = 101,
} sa_code;

/** A failure: its code and a safe, one-line message (never a value). */
typedef struct sa_error {
    sa_code code;
    char message[512];
} sa_error;

/** A connection to an agent that has been said Hello to. Opaque. */
typedef struct sa_client sa_client;

/**
 * A secret's value. `data` holds `len` bytes (binary-safe; values may contain NUL) and is
 * followed by one extra NUL byte, so text values can be used as C strings. `version` is
 * the version that was read. Release with `sa_value_free`, which wipes the bytes.
 */
typedef struct sa_value {
    unsigned char *data;
    size_t len;
    uint64_t version;
} sa_value;

/** One secret's metadata, as listed. Never a value. */
typedef struct sa_list_entry {
    char *name;
    char *environment;
    /** The current version. */
    uint64_t version;
    /** How many versions are kept. */
    uint32_t version_count;
    int64_t created_at_unix_ms;
    int64_t updated_at_unix_ms;
} sa_list_entry;

/** The result of `sa_list`, in the agent's order. Release with `sa_list_free`. */
typedef struct sa_list_result {
    sa_list_entry *entries;
    size_t count;
} sa_list_result;

/**
 * Connects to the agent and says Hello (protocol version 1, client "secrets-agent-c/0.1").
 *
 * @param socket_path the agent's socket; NULL means $SECRETS_AGENT_SOCK, else
 *        $XDG_RUNTIME_DIR/secrets-agent/agent.sock when XDG_RUNTIME_DIR is set and the
 *        effective uid is not 0, else /run/secrets-agent/agent.sock. Empty variables
 *        count as unset; they are read with secure_getenv, so a setuid program ignores
 *        them.
 * @param err filled on failure; may be NULL. Its message names the socket path.
 * @return the client, or NULL on failure:
 *   - SA_ERR_UNAVAILABLE: no agent listens there (no such file, connection refused), or
 *     it hung up during Hello;
 *   - SA_ERR_PERMISSION_DENIED: the socket's mode keeps this user out, or the agent
 *     refused this peer in answer to Hello;
 *   - SA_ERR_INVALID_ARGUMENT: the path is empty or longer than a socket address holds;
 *   - SA_ERR_IO, SA_ERR_PROTOCOL: as for every call.
 * The socket is opened with SOCK_CLOEXEC; writes use MSG_NOSIGNAL, so a dead agent never
 * raises SIGPIPE.
 */
sa_client *sa_connect(const char *socket_path, sa_error *err);

/**
 * Reads a secret's value.
 *
 * @param name the secret's name, e.g. "openai/key".
 * @param environment its environment; NULL means $SECRETS_AGENT_ENV (secure_getenv), else
 *        "development": the CLI's default, since the agent refuses an empty environment.
 * @param version a kept earlier version, or 0 for the current one.
 * @param out set on success; on failure it is set to {NULL, 0, 0}.
 * @param err filled on failure; may be NULL.
 * @return 0, or -1 with one of: SA_ERR_NOT_FOUND, SA_ERR_PERMISSION_DENIED, SA_ERR_LOCKED,
 *   SA_ERR_INTEGRITY_FAILURE, SA_ERR_INVALID_ARGUMENT, SA_ERR_UNAVAILABLE, SA_ERR_IO,
 *   SA_ERR_PROTOCOL, SA_ERR_INTERNAL.
 */
int sa_get(sa_client *client, const char *name, const char *environment, uint64_t version,
           sa_value *out, sa_error *err);

/** Wipes and frees a value's bytes and resets it to {NULL, 0, 0}. NULL is allowed. */
void sa_value_free(sa_value *value);

/**
 * Lists secrets' metadata (never values), within what the caller's grant allows. A listing
 * larger than one reply is asked for page by page on this connection and returned whole.
 *
 * @param environment only this environment; NULL or "" means every environment.
 * @param prefix only names starting with this; NULL or "" means every name.
 * @param out set on success (count 0 when nothing matches); on failure set to {NULL, 0}.
 * @param err filled on failure; may be NULL.
 * @return 0, or -1 with one of: SA_ERR_PERMISSION_DENIED, SA_ERR_LOCKED,
 *   SA_ERR_INVALID_ARGUMENT, SA_ERR_UNAVAILABLE, SA_ERR_IO, SA_ERR_PROTOCOL (also when
 *   the agent's next page would start where the last one did), SA_ERR_INTERNAL.
 */
int sa_list(sa_client *client, const char *environment, const char *prefix,
            sa_list_result *out, sa_error *err);

/** Frees a list result and resets it to {NULL, 0}. NULL is allowed. */
void sa_list_free(sa_list_result *list);

/** Closes the connection and frees the client. NULL is allowed. */
void sa_close(sa_client *client);

/** The code's wire name, e.g. "NOT_FOUND", or "IO" / "PROTOCOL"; never NULL. */
const char *sa_code_name(sa_code code);

#ifdef __cplusplus
}
#endif

#endif /* SECRETS_AGENT_H */
