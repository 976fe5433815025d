/* The C floor of secrets-agent-bench; see CBenchFloor.h. */
#define _GNU_SOURCE
#include "CBenchFloor.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* The protocol's largest frame body (DESIGN §3); a larger length ends the connection. */
#define MAX_BODY_BYTES (1u << 20)

struct cbf_server {
    int listen_fd;
    pthread_t accept_thread;
    uint32_t reply_body_bytes;
    char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

struct cbf_client {
    int fd;
    uint8_t *request_frame;
    size_t request_frame_bytes;
    uint8_t *reply_body;
    uint32_t reply_body_bytes;
};

uint64_t cbf_now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* Reads exactly `count` bytes. 1: done; 0: end of stream before the first byte;
   -1: error, or end of stream inside the run (errno EPROTO). */
static int read_exactly(int fd, uint8_t *buffer, size_t count) {
    size_t done = 0;
    while (done < count) {
        ssize_t got = read(fd, buffer + done, count - done);
        if (got > 0) {
            done += (size_t)got;
        } else if (got == 0) {
            if (done == 0) return 0;
            errno = EPROTO;
            return -1;
        } else if (errno != EINTR) {
            return -1;
        }
    }
    return 1;
}

/* Writes all `count` bytes. 0, or -1 with errno set. */
static int write_all(int fd, const uint8_t *buffer, size_t count) {
    size_t done = 0;
    while (done < count) {
        ssize_t put = write(fd, buffer + done, count - done);
        if (put >= 0) {
            done += (size_t)put;
        } else if (errno != EINTR) {
            return -1;
        }
    }
    return 0;
}

/* A frame of `body_bytes` filler bytes behind its big-endian length, or NULL. */
static uint8_t *make_frame(uint32_t body_bytes, uint8_t filler) {
    uint8_t *frame = malloc(4 + (size_t)body_bytes);
    if (frame == NULL) return NULL;
    frame[0] = (uint8_t)(body_bytes >> 24);
    frame[1] = (uint8_t)(body_bytes >> 16);
    frame[2] = (uint8_t)(body_bytes >> 8);
    frame[3] = (uint8_t)body_bytes;
    memset(frame + 4, filler, body_bytes);
    return frame;
}

static uint32_t frame_length(const uint8_t header[4]) {
    return (uint32_t)header[0] << 24 | (uint32_t)header[1] << 16 | (uint32_t)header[2] << 8 | header[3];
}

static int make_address(const char *socket_path, struct sockaddr_un *address) {
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    if (strlen(socket_path) >= sizeof address->sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(address->sun_path, socket_path);
    return 0;
}

/* ---- server ---- */

struct connection {
    int fd;
    uint32_t reply_body_bytes;
};

/* One connection: read a frame, answer with the reply frame, until the client leaves. */
static void *serve_connection(void *argument) {
    struct connection *connection = argument;
    int fd = connection->fd;
    uint8_t *reply = make_frame(connection->reply_body_bytes, 0x5A);
    size_t reply_bytes = 4 + (size_t)connection->reply_body_bytes;
    free(connection);
    uint8_t *body = malloc(MAX_BODY_BYTES);
    uint8_t header[4];
    while (reply != NULL && body != NULL && read_exactly(fd, header, 4) == 1) {
        uint32_t length = frame_length(header);
        if (length == 0 || length > MAX_BODY_BYTES) break;
        if (read_exactly(fd, body, length) != 1) break;
        if (write_all(fd, reply, reply_bytes) != 0) break;
    }
    free(body);
    free(reply);
    close(fd);
    return NULL;
}

static void *accept_loop(void *argument) {
    cbf_server *server = argument;
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return NULL;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 256 * 1024);
    for (;;) {
        int fd = accept4(server->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            break;  /* EINVAL after cbf_server_stop's shutdown */
        }
        struct connection *connection = malloc(sizeof *connection);
        pthread_t thread;
        if (connection == NULL) {
            close(fd);  /* the client sees the end of the stream and reports it */
            continue;
        }
        connection->fd = fd;
        connection->reply_body_bytes = server->reply_body_bytes;
        if (pthread_create(&thread, &attributes, serve_connection, connection) != 0) {
            free(connection);
            close(fd);
        }
    }
    pthread_attr_destroy(&attributes);
    return NULL;
}

cbf_server *cbf_server_start(const char *socket_path, uint32_t reply_body_bytes) {
    if (reply_body_bytes > MAX_BODY_BYTES) {
        errno = EINVAL;
        return NULL;
    }
    struct sockaddr_un address;
    if (make_address(socket_path, &address) != 0) return NULL;
    cbf_server *server = calloc(1, sizeof *server);
    if (server == NULL) return NULL;
    strcpy(server->socket_path, socket_path);
    server->reply_body_bytes = reply_body_bytes;
    server->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (server->listen_fd < 0) {
        free(server);
        return NULL;
    }
    int result = bind(server->listen_fd, (struct sockaddr *)&address, sizeof address);
    if (result == 0) result = listen(server->listen_fd, 128);
    if (result == 0) result = pthread_create(&server->accept_thread, NULL, accept_loop, server) == 0 ? 0 : -1;
    if (result != 0) {
        int saved = errno;
        close(server->listen_fd);
        unlink(socket_path);
        free(server);
        errno = saved;
        return NULL;
    }
    return server;
}

void cbf_server_stop(cbf_server *server) {
    if (server == NULL) return;
    shutdown(server->listen_fd, SHUT_RDWR);  /* wakes the blocked accept */
    pthread_join(server->accept_thread, NULL);
    close(server->listen_fd);
    unlink(server->socket_path);
    free(server);
}

/* ---- client ---- */

cbf_client *cbf_client_connect(const char *socket_path, uint32_t request_body_bytes,
                               uint32_t reply_body_bytes) {
    struct sockaddr_un address;
    if (request_body_bytes == 0 || request_body_bytes > MAX_BODY_BYTES || reply_body_bytes > MAX_BODY_BYTES) {
        errno = EINVAL;
        return NULL;
    }
    if (make_address(socket_path, &address) != 0) return NULL;
    cbf_client *client = calloc(1, sizeof *client);
    if (client == NULL) return NULL;
    client->fd = -1;
    client->request_frame = make_frame(request_body_bytes, 0xA5);
    client->request_frame_bytes = 4 + (size_t)request_body_bytes;
    client->reply_body = malloc(reply_body_bytes > 0 ? reply_body_bytes : 1);
    client->reply_body_bytes = reply_body_bytes;
    client->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (client->request_frame == NULL || client->reply_body == NULL || client->fd < 0 ||
        connect(client->fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int saved = errno;
        cbf_client_close(client);
        errno = saved;
        return NULL;
    }
    return client;
}

/* One request and its whole reply. 0, or -1 with errno set. */
static int round_trip(cbf_client *client) {
    uint8_t header[4];
    if (write_all(client->fd, client->request_frame, client->request_frame_bytes) != 0) return -1;
    int got = read_exactly(client->fd, header, 4);
    if (got != 1) {
        if (got == 0) errno = EPROTO;
        return -1;
    }
    if (frame_length(header) != client->reply_body_bytes) {
        errno = EPROTO;
        return -1;
    }
    if (client->reply_body_bytes == 0) return 0;
    got = read_exactly(client->fd, client->reply_body, client->reply_body_bytes);
    if (got != 1) {
        if (got == 0) errno = EPROTO;
        return -1;
    }
    return 0;
}

int cbf_client_round_trips(cbf_client *client, size_t count, uint64_t *nanoseconds) {
    uint64_t before = cbf_now_ns();
    for (size_t index = 0; index < count; index++) {
        if (round_trip(client) != 0) return -1;
        uint64_t after = cbf_now_ns();
        nanoseconds[index] = after - before;
        before = after;
    }
    return 0;
}

int cbf_client_run_until(cbf_client *client, uint64_t deadline_ns, uint64_t *count, uint64_t *end_ns) {
    uint64_t done = 0;
    uint64_t now;
    do {
        if (round_trip(client) != 0) return -1;
        done++;
        now = cbf_now_ns();
    } while (now < deadline_ns);
    *count = done;
    *end_ns = now;
    return 0;
}

void cbf_client_close(cbf_client *client) {
    if (client == NULL) return;
    if (client->fd >= 0) close(client->fd);
    free(client->request_frame);
    free(client->reply_body);
    free(client);
}
