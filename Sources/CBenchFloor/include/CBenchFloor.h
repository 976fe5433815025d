#ifndef SECRETS_AGENT_CBENCHFLOOR_H
#define SECRETS_AGENT_CBENCHFLOOR_H
/* The benchmark's C floor: a framed echo over a Unix socket with C on both sides. A frame
   is a 4-byte big-endian length, then that many bytes. The server answers every frame
   with a frame of a fixed size, one blocking thread per connection; the client sends
   frames of a fixed size and checks the size of each reply. Nothing is decoded. */
#include <stddef.h>
#include <stdint.h>

typedef struct cbf_server cbf_server;
typedef struct cbf_client cbf_client;

/* Listens on `socket_path` (which must not exist) and answers every frame with
   `reply_body_bytes` bytes. Returns the server, or NULL with errno set. */
cbf_server *cbf_server_start(const char *socket_path, uint32_t reply_body_bytes);

/* Stops accepting, waits for the accept thread, removes the socket and frees the server.
   Open connections end when their clients close them. */
void cbf_server_stop(cbf_server *server);

/* Connects to `socket_path`. Returns the client, or NULL with errno set. */
cbf_client *cbf_client_connect(const char *socket_path, uint32_t request_body_bytes,
                               uint32_t reply_body_bytes);

/* `count` round trips; round trip i took nanoseconds[i] (CLOCK_MONOTONIC). 0, or -1 with
   errno set (EPROTO: the server closed the connection or sent a reply of another size). */
int cbf_client_round_trips(cbf_client *client, size_t count, uint64_t *nanoseconds);

/* Round trips until CLOCK_MONOTONIC reaches `deadline_ns` (at least one): how many to
   *count, the time the last one ended to *end_ns. 0, or -1 with errno set as above. */
int cbf_client_run_until(cbf_client *client, uint64_t deadline_ns, uint64_t *count, uint64_t *end_ns);

/* Closes the connection and frees the client. */
void cbf_client_close(cbf_client *client);

/* CLOCK_MONOTONIC in nanoseconds, the clock both loops time with. */
uint64_t cbf_now_ns(void);

#endif
