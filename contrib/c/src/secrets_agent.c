/*
 * secrets_agent.c: the blocking C client. One request/reply routine (`call`) frames,
 * sends, reads and checks every exchange; `sa_get` and `sa_list` only build a request
 * and copy out the reply (`sa_list` one page after another). Every buffer that held a
 * response, and every allocation protobuf-c makes while decoding one, is wiped before it
 * is freed.
 */
#include "secrets_agent.h"

#include "secrets_agent/v1/agent.pb-c.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SA_SUN_PATH_BYTES sizeof(((struct sockaddr_un *)0)->sun_path)

struct sa_client {
    int fd;
    uint64_t next_request_id;
    /* Non-zero once the stream is out of step (I/O or protocol failure): the code that
     * every later call fails with. */
    sa_code broken;
    /* Whether the last failed call failed because the agent answered with an Error. */
    int agent_refused;
    char path[SA_SUN_PATH_BYTES];
};

typedef SecretsAgent__V1__Request Request;
typedef SecretsAgent__V1__Response Response;
typedef SecretsAgent__V1__Response__ResultCase ResultCase;

/* ---- errors ---------------------------------------------------------------------- */

/* Formats a one-line message into `err` (control characters become '?'). */
__attribute__((format(printf, 3, 4)))
static void set_error(sa_error *err, sa_code code, const char *format, ...)
{
    if (err == NULL) return;
    err->code = code;
    va_list args;
    va_start(args, format);
    vsnprintf(err->message, sizeof err->message, format, args);
    va_end(args);
    for (char *p = err->message; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f) *p = '?';
    }
}

static void clear_error(sa_error *err)
{
    if (err == NULL) return;
    err->code = SA_OK;
    err->message[0] = '\0';
}

/* strerror(number) in lower case, as the CLI prints it. */
static const char *errno_text(int number, char *buffer, size_t size)
{
    const char *text = strerror_r(number, buffer, size);
    if (text != buffer) {
        snprintf(buffer, size, "%s", text);
    }
    for (char *p = buffer; *p != '\0'; p++) {
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    }
    return buffer;
}

static sa_code code_from_wire(SecretsAgent__V1__ErrorCode wire)
{
    switch (wire) {
    case SECRETS_AGENT__V1__ERROR_CODE__INVALID_ARGUMENT: return SA_ERR_INVALID_ARGUMENT;
    case SECRETS_AGENT__V1__ERROR_CODE__NOT_FOUND: return SA_ERR_NOT_FOUND;
    case SECRETS_AGENT__V1__ERROR_CODE__ALREADY_EXISTS: return SA_ERR_ALREADY_EXISTS;
    case SECRETS_AGENT__V1__ERROR_CODE__PERMISSION_DENIED: return SA_ERR_PERMISSION_DENIED;
    case SECRETS_AGENT__V1__ERROR_CODE__LOCKED: return SA_ERR_LOCKED;
    case SECRETS_AGENT__V1__ERROR_CODE__CONFLICT: return SA_ERR_CONFLICT;
    case SECRETS_AGENT__V1__ERROR_CODE__INTEGRITY_FAILURE: return SA_ERR_INTEGRITY_FAILURE;
    case SECRETS_AGENT__V1__ERROR_CODE__UNAVAILABLE: return SA_ERR_UNAVAILABLE;
    case SECRETS_AGENT__V1__ERROR_CODE__RESOURCE_EXHAUSTED: return SA_ERR_RESOURCE_EXHAUSTED;
    default: return SA_ERR_INTERNAL;
    }
}

const char *sa_code_name(sa_code code)
{
    switch (code) {
    case SA_OK: return "OK";
    case SA_ERR_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case SA_ERR_NOT_FOUND: return "NOT_FOUND";
    case SA_ERR_ALREADY_EXISTS: return "ALREADY_EXISTS";
    case SA_ERR_PERMISSION_DENIED: return "PERMISSION_DENIED";
    case SA_ERR_LOCKED: return "LOCKED";
    case SA_ERR_CONFLICT: return "CONFLICT";
    case SA_ERR_INTEGRITY_FAILURE: return "INTEGRITY_FAILURE";
    case SA_ERR_UNAVAILABLE: return "UNAVAILABLE";
    case SA_ERR_RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case SA_ERR_INTERNAL: return "INTERNAL";
    case SA_ERR_IO: return "IO";
    case SA_ERR_PROTOCOL: return "PROTOCOL";
    }
    return "UNKNOWN";
}

/* ---- a protobuf-c allocator that wipes what it frees ------------------------------ */

/* Each block is prefixed with its size, so `wiping_free` knows how much to zero. */
typedef union {
    max_align_t align;
    size_t size;
} block_header;

static void *wiping_alloc(void *unused, size_t size)
{
    (void)unused;
    if (size > SIZE_MAX - sizeof(block_header)) return NULL;
    block_header *header = malloc(sizeof *header + size);
    if (header == NULL) return NULL;
    header->size = size;
    return header + 1;
}

static void wiping_free(void *unused, void *pointer)
{
    (void)unused;
    if (pointer == NULL) return;
    block_header *header = (block_header *)pointer - 1;
    explicit_bzero(pointer, header->size);
    free(header);
}

static ProtobufCAllocator wiping_allocator = {
    .alloc = wiping_alloc,
    .free = wiping_free,
    .allocator_data = NULL,
};

static void free_response(Response *response)
{
    if (response != NULL) secrets_agent__v1__response__free_unpacked(response, &wiping_allocator);
}

/* ---- blocking I/O ----------------------------------------------------------------- */

/* Sends all of `data`; 0, or the errno that stopped it. Never raises SIGPIPE. */
static int send_all(int fd, const unsigned char *data, size_t length)
{
    while (length > 0) {
        ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += sent;
        length -= (size_t)sent;
    }
    return 0;
}

/* Reads exactly `length` bytes: 0 when done, -1 at end of stream (`*got` says how many
 * arrived first), or the errno that stopped it. */
static int recv_all(int fd, unsigned char *data, size_t length, size_t *got)
{
    *got = 0;
    while (*got < length) {
        ssize_t received = recv(fd, data + *got, length - *got, 0);
        if (received < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (received == 0) return -1;
        *got += (size_t)received;
    }
    return 0;
}

/* Marks the connection unusable and describes a send/recv failure. */
static void fail_stream(sa_client *client, int number, sa_error *err)
{
    char why[128];
    if (number == EPIPE || number == ECONNRESET || number == ENOTCONN) {
        client->broken = SA_ERR_UNAVAILABLE;
        set_error(err, SA_ERR_UNAVAILABLE,
                  "lost the connection to the agent at %s: %s (check that it is running: secrets-agent status)",
                  client->path, errno_text(number, why, sizeof why));
    } else {
        client->broken = SA_ERR_IO;
        set_error(err, SA_ERR_IO, "cannot talk to the agent at %s: %s",
                  client->path, errno_text(number, why, sizeof why));
    }
}

static void fail_protocol(sa_client *client, sa_error *err, const char *why)
{
    client->broken = SA_ERR_PROTOCOL;
    set_error(err, SA_ERR_PROTOCOL, "the agent at %s broke the protocol: %s (is it a secrets-agent of a compatible version?)",
              client->path, why);
}

/* Reads one length-prefixed frame and decodes it; the frame is wiped and freed. */
static Response *read_response(sa_client *client, sa_error *err)
{
    unsigned char header[4];
    size_t got = 0;
    int status = recv_all(client->fd, header, sizeof header, &got);
    if (status == -1 && got == 0) {
        client->broken = SA_ERR_UNAVAILABLE;
        set_error(err, SA_ERR_UNAVAILABLE, "the agent at %s closed the connection (check its log)", client->path);
        return NULL;
    }
    if (status == -1) {
        fail_protocol(client, err, "truncated frame header");
        return NULL;
    }
    if (status != 0) {
        fail_stream(client, status, err);
        return NULL;
    }
    uint32_t length = (uint32_t)header[0] << 24 | (uint32_t)header[1] << 16 | (uint32_t)header[2] << 8 | header[3];
    if (length == 0 || length > SA_MAX_FRAME_BYTES) {
        char why[96];
        snprintf(why, sizeof why, "a frame of %" PRIu32 " bytes (allowed: 1 to %u)", length, SA_MAX_FRAME_BYTES);
        fail_protocol(client, err, why);
        return NULL;
    }
    unsigned char *frame = malloc(length);
    if (frame == NULL) {
        client->broken = SA_ERR_IO;
        set_error(err, SA_ERR_IO, "cannot read a reply of %" PRIu32 " bytes: out of memory", length);
        return NULL;
    }
    status = recv_all(client->fd, frame, length, &got);
    Response *response = NULL;
    if (status == 0) {
        response = secrets_agent__v1__response__unpack(&wiping_allocator, length, frame);
    }
    explicit_bzero(frame, length);
    free(frame);
    if (status == -1) {
        fail_protocol(client, err, "truncated frame");
        return NULL;
    }
    if (status != 0) {
        fail_stream(client, status, err);
        return NULL;
    }
    if (response == NULL) {
        fail_protocol(client, err, "undecodable reply");
        return NULL;
    }
    return response;
}

/*
 * Sends `request` (its request_id is set here) and returns the reply of the `expected`
 * kind, or NULL with `err` filled: the agent's Error mapped to its code, or a local
 * failure. The caller frees the reply with `free_response`.
 */
static Response *call(sa_client *client, Request *request, ResultCase expected, sa_error *err)
{
    client->agent_refused = 0;
    if (client->broken != SA_OK) {
        set_error(err, client->broken, "the connection to the agent at %s failed earlier (connect again)", client->path);
        return NULL;
    }
    request->request_id = client->next_request_id++;
    size_t body = secrets_agent__v1__request__get_packed_size(request);
    if (body == 0 || body > SA_MAX_FRAME_BYTES) {
        set_error(err, SA_ERR_INVALID_ARGUMENT, "the request is %zu bytes, over the %u-byte frame limit (shorten its names)",
                  body, SA_MAX_FRAME_BYTES);
        return NULL;
    }
    unsigned char *frame = malloc(4 + body);
    if (frame == NULL) {
        set_error(err, SA_ERR_IO, "cannot build a request of %zu bytes: out of memory", body);
        return NULL;
    }
    frame[0] = (unsigned char)(body >> 24);
    frame[1] = (unsigned char)(body >> 16);
    frame[2] = (unsigned char)(body >> 8);
    frame[3] = (unsigned char)body;
    size_t packed = secrets_agent__v1__request__pack(request, frame + 4);
    int status = packed == body ? send_all(client->fd, frame, 4 + body) : EPROTO;
    explicit_bzero(frame, 4 + body);
    free(frame);
    if (status != 0) {
        fail_stream(client, status, err);
        return NULL;
    }

    Response *response = read_response(client, err);
    if (response == NULL) return NULL;
    if (response->result_case == SECRETS_AGENT__V1__RESPONSE__RESULT_ERROR && response->error != NULL &&
        (response->request_id == request->request_id || response->request_id == 0)) {
        /* Request id 0 answers a frame the agent could not read; it closes afterwards. */
        if (response->request_id == 0) client->broken = SA_ERR_UNAVAILABLE;
        client->agent_refused = 1;
        const char *message = response->error->message;
        set_error(err, code_from_wire(response->error->code), "%s",
                  message != NULL && message[0] != '\0' ? message : "the agent gave no reason");
        free_response(response);
        return NULL;
    }
    if (response->request_id != request->request_id) {
        char why[96];
        snprintf(why, sizeof why, "request %" PRIu64 " was answered as %" PRIu64, request->request_id, response->request_id);
        free_response(response);
        fail_protocol(client, err, why);
        return NULL;
    }
    if (response->result_case != expected) {
        free_response(response);
        fail_protocol(client, err, "a reply of the wrong kind");
        return NULL;
    }
    return response;
}

/* ---- connect ---------------------------------------------------------------------- */

/* $SECRETS_AGENT_SOCK, else the user's runtime directory, else the system path. */
static const char *default_socket_path(char *buffer, size_t size)
{
    const char *explicit_path = secure_getenv("SECRETS_AGENT_SOCK");
    if (explicit_path != NULL && explicit_path[0] != '\0') return explicit_path;
    const char *runtime = secure_getenv("XDG_RUNTIME_DIR");
    if (geteuid() != 0 && runtime != NULL && runtime[0] != '\0') {
        int n = snprintf(buffer, size, "%s/secrets-agent/agent.sock", runtime);
        return n > 0 && (size_t)n < size ? buffer : runtime;
    }
    return "/run/secrets-agent/agent.sock";
}

/* connect(2), finishing a connect that a signal interrupted. 0 or an errno. */
static int connect_unix(int fd, const struct sockaddr_un *address)
{
    if (connect(fd, (const struct sockaddr *)address, sizeof *address) == 0) return 0;
    if (errno != EINTR) return errno;
    struct pollfd pending = {.fd = fd, .events = POLLOUT};
    while (poll(&pending, 1, -1) < 0) {
        if (errno != EINTR) return errno;
    }
    int result = 0;
    socklen_t length = sizeof result;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &length) != 0) return errno;
    return result;
}

sa_client *sa_connect(const char *socket_path, sa_error *err)
{
    clear_error(err);
    char buffer[PATH_MAX];
    const char *path = socket_path != NULL ? socket_path : default_socket_path(buffer, sizeof buffer);
    if (path[0] == '\0') {
        set_error(err, SA_ERR_INVALID_ARGUMENT, "socket path is empty (pass a path or set SECRETS_AGENT_SOCK)");
        return NULL;
    }
    if (strlen(path) >= SA_SUN_PATH_BYTES) {
        set_error(err, SA_ERR_INVALID_ARGUMENT, "cannot connect to %s: the path is longer than %zu bytes (use a shorter path)",
                  path, SA_SUN_PATH_BYTES - 1);
        return NULL;
    }

    sa_client *client = calloc(1, sizeof *client);
    if (client == NULL) {
        set_error(err, SA_ERR_IO, "cannot connect to %s: out of memory", path);
        return NULL;
    }
    memcpy(client->path, path, strlen(path) + 1);
    client->next_request_id = 1;
    client->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    char why[128];
    if (client->fd < 0) {
        set_error(err, SA_ERR_IO, "cannot create a socket: %s", errno_text(errno, why, sizeof why));
        free(client);
        return NULL;
    }
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    memcpy(address.sun_path, client->path, strlen(client->path) + 1);
    int status = connect_unix(client->fd, &address);
    if (status == EACCES || status == EPERM) {
        set_error(err, SA_ERR_PERMISSION_DENIED,
                  "cannot connect to %s: %s (the socket's mode keeps you out; ask the agent's owner for access)",
                  client->path, errno_text(status, why, sizeof why));
        sa_close(client);
        return NULL;
    }
    if (status != 0) {
        set_error(err, SA_ERR_UNAVAILABLE, "cannot connect to %s: %s (start the agent: secrets-agent serve)",
                  client->path, errno_text(status, why, sizeof why));
        sa_close(client);
        return NULL;
    }

    SecretsAgent__V1__Hello hello = SECRETS_AGENT__V1__HELLO__INIT;
    hello.protocol_version = SA_PROTOCOL_VERSION;
    hello.client = (char *)SA_CLIENT_NAME;
    Request request = SECRETS_AGENT__V1__REQUEST__INIT;
    request.op_case = SECRETS_AGENT__V1__REQUEST__OP_HELLO;
    request.hello = &hello;
    sa_error local;
    Response *response = call(client, &request, SECRETS_AGENT__V1__RESPONSE__RESULT_HELLO, &local);
    if (response == NULL) {
        if (client->agent_refused) {
            /* The agent answered Hello with an Error: say which agent refused. */
            set_error(err, local.code, "the agent at %s refused the connection: %s", client->path, local.message);
        } else if (err != NULL) {
            *err = local;
        }
        sa_close(client);
        return NULL;
    }
    uint32_t version = response->hello != NULL ? response->hello->protocol_version : 0;
    free_response(response);
    if (version < SA_PROTOCOL_VERSION) {
        char reason[64];
        snprintf(reason, sizeof reason, "Hello answered with protocol version %" PRIu32, version);
        fail_protocol(client, err, reason);
        sa_close(client);
        return NULL;
    }
    return client;
}

void sa_close(sa_client *client)
{
    if (client == NULL) return;
    if (client->fd >= 0) close(client->fd);
    explicit_bzero(client, sizeof *client);
    free(client);
}

/* ---- get -------------------------------------------------------------------------- */

/* The CLI's default environment: $SECRETS_AGENT_ENV, else development. */
static const char *default_environment(void)
{
    const char *environment = secure_getenv("SECRETS_AGENT_ENV");
    return environment != NULL && environment[0] != '\0' ? environment : "development";
}

int sa_get(sa_client *client, const char *name, const char *environment, uint64_t version,
           sa_value *out, sa_error *err)
{
    clear_error(err);
    if (out != NULL) *out = (sa_value){NULL, 0, 0};
    if (client == NULL || out == NULL || name == NULL || name[0] == '\0') {
        set_error(err, SA_ERR_INVALID_ARGUMENT, "sa_get needs a client, a non-empty name and somewhere to put the value");
        return -1;
    }
    SecretsAgent__V1__GetRequest get = SECRETS_AGENT__V1__GET_REQUEST__INIT;
    get.name = (char *)name;
    get.environment = (char *)(environment != NULL ? environment : default_environment());
    get.version = version;
    get.masked = 0;
    Request request = SECRETS_AGENT__V1__REQUEST__INIT;
    request.op_case = SECRETS_AGENT__V1__REQUEST__OP_GET;
    request.get = &get;
    Response *response = call(client, &request, SECRETS_AGENT__V1__RESPONSE__RESULT_GET, err);
    if (response == NULL) return -1;

    const SecretsAgent__V1__GetReply *reply = response->get;
    const char *wrong = NULL;
    if (reply == NULL) wrong = "an empty Get reply";
    else if (reply->masked) wrong = "a masked value where the full value was asked for";
    else if (version != 0 && reply->version != version) wrong = "a different version than the one asked for";
    else if (reply->value.len > 0 && reply->value.data == NULL) wrong = "a Get reply without its value";
    if (wrong != NULL) {
        free_response(response);
        fail_protocol(client, err, wrong);
        return -1;
    }
    unsigned char *data = malloc(reply->value.len + 1);
    if (data == NULL) {
        set_error(err, SA_ERR_IO, "cannot hold a value of %zu bytes: out of memory", reply->value.len);
        free_response(response);
        return -1;
    }
    if (reply->value.len > 0) memcpy(data, reply->value.data, reply->value.len);
    data[reply->value.len] = '\0';
    out->data = data;
    out->len = reply->value.len;
    out->version = reply->version;
    free_response(response);
    return 0;
}

void sa_value_free(sa_value *value)
{
    if (value == NULL) return;
    if (value->data != NULL) {
        explicit_bzero(value->data, value->len + 1);
        free(value->data);
    }
    *value = (sa_value){NULL, 0, 0};
}

/* ---- list ------------------------------------------------------------------------- */

int sa_list(sa_client *client, const char *environment, const char *prefix,
            sa_list_result *out, sa_error *err)
{
    clear_error(err);
    if (out != NULL) *out = (sa_list_result){NULL, 0};
    if (client == NULL || out == NULL) {
        set_error(err, SA_ERR_INVALID_ARGUMENT, "sa_list needs a client and somewhere to put the list");
        return -1;
    }
    SecretsAgent__V1__ListRequest list = SECRETS_AGENT__V1__LIST_REQUEST__INIT;
    list.environment = (char *)(environment != NULL ? environment : "");
    list.prefix = (char *)(prefix != NULL ? prefix : "");
    Request request = SECRETS_AGENT__V1__REQUEST__INIT;
    request.op_case = SECRETS_AGENT__V1__REQUEST__OP_LIST;
    request.list = &list;

    /* A listing larger than one frame comes in pages: ask again after the reply's cursor
     * (kept in `after_environment` and `after_name`) until it is empty. */
    sa_list_result result = {NULL, 0};
    size_t capacity = 0;
    char *after_environment = NULL;
    char *after_name = NULL;
    for (;;) {
        Response *response = call(client, &request, SECRETS_AGENT__V1__RESPONSE__RESULT_LIST, err);
        if (response == NULL) goto fail;
        const SecretsAgent__V1__ListReply *reply = response->list;
        size_t count = reply != NULL ? reply->n_secrets : 0;
        size_t total = result.count + count;
        if (total > capacity) {
            size_t wanted = total > capacity * 2 ? total : capacity * 2;
            sa_list_entry *grown = reallocarray(result.entries, wanted, sizeof *grown);
            if (grown == NULL) {
                set_error(err, SA_ERR_IO, "cannot hold a list of %zu secrets: out of memory", total);
                free_response(response);
                goto fail;
            }
            result.entries = grown;
            capacity = wanted;
        }
        for (size_t i = 0; i < count; i++) {
            const SecretsAgent__V1__SecretMetadata *secret = reply->secrets[i];
            sa_list_entry *entry = &result.entries[result.count];
            entry->name = strdup(secret->name != NULL ? secret->name : "");
            entry->environment = strdup(secret->environment != NULL ? secret->environment : "");
            result.count++;
            if (entry->name == NULL || entry->environment == NULL) {
                set_error(err, SA_ERR_IO, "cannot hold a list of %zu secrets: out of memory", total);
                free_response(response);
                goto fail;
            }
            entry->version = secret->current_version;
            entry->version_count = secret->version_count;
            entry->created_at_unix_ms = secret->created_at_unix_ms;
            entry->updated_at_unix_ms = secret->updated_at_unix_ms;
        }
        const char *next_name = reply != NULL && reply->next_after_name != NULL ? reply->next_after_name : "";
        const char *next_environment =
            reply != NULL && reply->next_after_environment != NULL ? reply->next_after_environment : "";
        if (next_name[0] == '\0') {
            free_response(response);
            break;
        }
        if (strcmp(next_environment, list.after_environment) == 0 && strcmp(next_name, list.after_name) == 0) {
            /* A broken agent would have this loop ask for the same page for ever. */
            client->broken = SA_ERR_PROTOCOL;
            set_error(err, SA_ERR_PROTOCOL,
                      "the agent at %s did not move past %s in its list (upgrade the agent or this client to the same version)",
                      client->path, next_name);
            free_response(response);
            goto fail;
        }
        char *copied_environment = strdup(next_environment);
        char *copied_name = strdup(next_name);
        free_response(response);
        free(after_environment);
        free(after_name);
        after_environment = copied_environment;
        after_name = copied_name;
        if (after_environment == NULL || after_name == NULL) {
            set_error(err, SA_ERR_IO, "cannot hold a list of %zu secrets: out of memory", result.count);
            goto fail;
        }
        list.after_environment = after_environment;
        list.after_name = after_name;
    }
    free(after_environment);
    free(after_name);
    *out = result;
    return 0;

fail:
    free(after_environment);
    free(after_name);
    sa_list_free(&result);
    return -1;
}

void sa_list_free(sa_list_result *list)
{
    if (list == NULL) return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->entries[i].name);
        free(list->entries[i].environment);
    }
    free(list->entries);
    *list = (sa_list_result){NULL, 0};
}
