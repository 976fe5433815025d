#ifndef SECRETS_AGENT_CSHIMS_H
#define SECRETS_AGENT_CSHIMS_H
/* The few lines of C that Glibc does not expose well to Swift. Nothing else lives here. */
#include <sys/types.h>

/* Reads SO_PEERCRED of a connected AF_UNIX socket. Returns 0 or -1 with errno set. */
int cshims_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/* prctl(PR_SET_DUMPABLE, 0): no core dumps, no ptrace by same-uid processes. 0 or -1. */
int cshims_disable_dumpable(void);

/* prctl(PR_GET_DUMPABLE). */
int cshims_get_dumpable(void);

/* madvise(addr, len, MADV_DONTDUMP) on the pages covering [addr, addr+len). 0 or -1. */
int cshims_madvise_dontdump(void *addr, size_t len);

/* sched_getaffinity / sched_setaffinity of thread `tid` (0: the caller), with the CPU mask
   as `count` 64-bit words (bit n of the mask: CPU n). For the benchmark's CPU pinning.
   0 or -1 with errno set. */
int cshims_get_affinity(pid_t tid, unsigned long long *words, size_t count);
int cshims_set_affinity(pid_t tid, const unsigned long long *words, size_t count);

/* Starts `path` (already resolved; never searched on PATH) with `argv` and `envp`, both
   NULL-terminated, in a forked child that clears its signal mask and resets every signal
   to its default, except those ignored when this process started, which stay ignored:
   - `pty_slave` >= 0: the child starts a new session and takes the pseudo-terminal as its
     controlling terminal; each of `stdin_fd`, `stdout_fd`, `stderr_fd` that is -2 becomes
     the pty.
   - otherwise each of `stdin_fd`, `stdout_fd`, `stderr_fd` >= 0 is dup'ed onto 0, 1, 2
     (-1: inherit).
   Every other descriptor the child inherits must be close-on-exec. Returns the child's pid,
   or -1 with errno set (also when execve fails in the child: its errno is reported back
   through a close-on-exec pipe). */
pid_t cshims_spawn(const char *path, char *const argv[], char *const envp[], int pty_slave,
                   int stdin_fd, int stdout_fd, int stderr_fd);

/* mallopt(M_ARENA_MAX, count): glibc otherwise gives each busy thread its own heap arena
   (up to 8 per CPU), each keeping freed memory resident. 1 on success, 0 on failure. */
int cshims_limit_malloc_arenas(int count);

/* malloc_trim(0): returns free heap memory to the system. 1 when some was released. */
int cshims_malloc_trim(void);

/* 1 when `sig` was ignored when the process started (before main), else 0. */
int cshims_signal_ignored_at_start(int sig);

/* Opens a new pseudo-terminal pair: the master (close-on-exec) and the slave's path in
   `name` (capacity `capacity`). 0 or -1 with errno set. */
int cshims_open_pty(int *master, char *name, size_t capacity);

/* TIOCGWINSZ / TIOCSWINSZ. 0 or -1 with errno set. */
int cshims_get_window_size(int fd, unsigned short *rows, unsigned short *columns);
int cshims_set_window_size(int fd, unsigned short rows, unsigned short columns);

/* statfs(path).f_type is tmpfs or ramfs: 1, else 0; -1 with errno set when it fails. */
int cshims_is_memory_filesystem(const char *path);

#endif
