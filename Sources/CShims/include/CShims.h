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

#endif
