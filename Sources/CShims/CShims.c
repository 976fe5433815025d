#define _GNU_SOURCE
#include "CShims.h"
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdint.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <malloc.h>

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

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <termios.h>

/* Which signals the process was started with ignored (nohup's SIGHUP, a shell's SIGINT
   for a background job), recorded before Swift's main runs: exec's child inherits them
   ignored, as it would from a shell, and the CLI does not forward them. */
static unsigned char ignored_at_start[NSIG];

__attribute__((constructor)) static void record_ignored_signals(void) {
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction action;
        if (sigaction(sig, NULL, &action) == 0 && action.sa_handler == SIG_IGN) ignored_at_start[sig] = 1;
    }
}

int cshims_signal_ignored_at_start(int sig) {
    return sig > 0 && sig < NSIG && ignored_at_start[sig];
}

static void child_fail(int report) {
    int error = errno;
    ssize_t ignored = write(report, &error, sizeof(error));
    (void)ignored;
    _exit(127);
}

pid_t cshims_spawn(const char *path, char *const argv[], char *const envp[], int pty_slave,
                   int stdin_fd, int stdout_fd, int stderr_fd) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        errno = error;
        return -1;
    }
    if (pid == 0) {
        /* Only async-signal-safe calls from here to execve. */
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        for (int sig = 1; sig < NSIG; sig++) signal(sig, ignored_at_start[sig] ? SIG_IGN : SIG_DFL);
        int fds[3] = {stdin_fd, stdout_fd, stderr_fd};
        if (pty_slave >= 0) {
            if (setsid() < 0) child_fail(report[1]);
            if (ioctl(pty_slave, TIOCSCTTY, 0) < 0) child_fail(report[1]);
            for (int i = 0; i < 3; i++) if (fds[i] == -2) fds[i] = pty_slave;
        }
        /* Move sources out of 0..2 first so one dup2 cannot clobber another's source. */
        for (int i = 0; i < 3; i++) {
            if (fds[i] >= 0 && fds[i] < 3) {
                int moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
                if (moved < 0) child_fail(report[1]);
                for (int j = 0; j < 3; j++) if (fds[j] == fds[i] && j != i) fds[j] = moved;
                if (pty_slave == fds[i]) pty_slave = moved;
                fds[i] = moved;
            }
        }
        for (int i = 0; i < 3; i++) {
            if (fds[i] >= 0 && dup2(fds[i], i) < 0) child_fail(report[1]);
        }
        execve(path, argv, envp);
        child_fail(report[1]);
    }
    close(report[1]);
    int error = 0;
    ssize_t n;
    do { n = read(report[0], &error, sizeof(error)); } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof(error)) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        errno = error;
        return -1;
    }
    return pid;
}

int cshims_open_pty(int *master, char *name, size_t capacity) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, name, capacity) != 0) {
        int error = errno;
        close(fd);
        errno = error;
        return -1;
    }
    *master = fd;
    return 0;
}

int cshims_get_window_size(int fd, unsigned short *rows, unsigned short *columns) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

int cshims_set_window_size(int fd, unsigned short rows, unsigned short columns) {
    struct winsize size = {.ws_row = rows, .ws_col = columns};
    return ioctl(fd, TIOCSWINSZ, &size);
}

int cshims_is_memory_filesystem(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return info.f_type == 0x01021994 /* TMPFS_MAGIC */ || info.f_type == (typeof(info.f_type))0x858458f6 /* RAMFS_MAGIC */;
}

int cshims_limit_malloc_arenas(int count) { return mallopt(M_ARENA_MAX, count); }

int cshims_malloc_trim(void) { return malloc_trim(0); }
