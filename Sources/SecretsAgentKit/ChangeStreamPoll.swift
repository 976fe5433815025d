#if canImport(Glibc)
import Glibc
#endif

/// Waits on a watching connection's two file descriptors at once.
enum ChangeStreamPoll {
    /// Blocks until the client socket has input or hung up (`client`), or events are
    /// waiting (`events`).
    static func wait(client: Int32, events: Int32) -> (client: Bool, events: Bool) {
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: events, events: Int16(POLLIN), revents: 0)]
        while true {
            let result = poll(&fds, nfds_t(fds.count), -1)
            if result > 0 { break }
            if result < 0, errno != EINTR { return (true, false) }
        }
        let hangup = Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL)
        return (fds[0].revents & hangup != 0, fds[1].revents & Int16(POLLIN) != 0)
    }
}
