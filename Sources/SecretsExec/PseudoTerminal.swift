#if canImport(Glibc)
import Glibc
#endif
internal import CShims

/// A pseudo-terminal for the child when the CLI's own output is a terminal, so colours,
/// line editing and window size keep working through the redactor.
public final class PseudoTerminal {
    /// The side the CLI reads the child's output from and writes its input to.
    public let master: Int32
    /// The child's side (close-on-exec in the CLI; the child gets it as 0/1/2).
    public let slave: Int32

    /// Opens a pair and copies the window size of `sizeFrom` (the CLI's terminal).
    public init?(sizeFrom terminal: Int32) {
        var master: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        guard cshims_open_pty(&master, &name, name.count) == 0 else { return nil }
        let path = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            close(master)
            return nil
        }
        self.master = master
        self.slave = slave
        copyWindowSize(from: terminal)
    }

    deinit {
        close(master)
        if slave >= 0 { close(slave) }
    }

    /// Gives the child's terminal the size of `terminal` (on start and on SIGWINCH; the
    /// kernel then signals the child's process group).
    public func copyWindowSize(from terminal: Int32) {
        var rows: UInt16 = 0
        var columns: UInt16 = 0
        if cshims_get_window_size(terminal, &rows, &columns) == 0 {
            _ = cshims_set_window_size(master, rows, columns)
        }
    }
}

/// Puts the CLI's terminal in raw mode while the child owns the pseudo-terminal (its line
/// discipline does the echoing and signal keys), and restores it afterwards.
public final class RawTerminalMode {
    private let fd: Int32
    private var saved = termios()
    private var active = false

    public init(_ fd: Int32) {
        self.fd = fd
        guard isatty(fd) == 1, tcgetattr(fd, &saved) == 0 else { return }
        var raw = saved
        cfmakeraw(&raw)
        active = tcsetattr(fd, TCSANOW, &raw) == 0
    }

    public func restore() {
        guard active else { return }
        tcsetattr(fd, TCSANOW, &saved)
        active = false
    }

    deinit { restore() }
}
