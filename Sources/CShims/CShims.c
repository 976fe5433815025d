#define _GNU_SOURCE
#include "CShims.h"
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdint.h>
#include <sched.h>
#include <string.h>

int cshims_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *pid = cred.pid;
    *uid = cred.uid;
    *gid = cred.gid;
    return 0;
}

int cshims_disable_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

int cshims_get_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

int cshims_madvise_dontdump(void *addr, size_t len) {
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)addr & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)addr + len + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    return madvise((void *)start, end - start, MADV_DONTDUMP);
}

int cshims_get_affinity(pid_t tid, unsigned long long *words, size_t count) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(tid, sizeof(set), &set) != 0) return -1;
    memset(words, 0, count * sizeof(*words));
    for (size_t cpu = 0; cpu < count * 64 && cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &set)) words[cpu / 64] |= 1ULL << (cpu % 64);
    }
    return 0;
}

int cshims_set_affinity(pid_t tid, const unsigned long long *words, size_t count) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (size_t cpu = 0; cpu < count * 64 && cpu < CPU_SETSIZE; cpu++) {
        if (words[cpu / 64] & (1ULL << (cpu % 64))) CPU_SET(cpu, &set);
    }
    return sched_setaffinity(tid, sizeof(set), &set);
}
