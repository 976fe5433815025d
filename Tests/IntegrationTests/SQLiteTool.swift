import Foundation

/// The sqlite3 command-line tool, as an attacker (or an auditor) with the store file uses it.
enum SQLiteTool {
    static let path = "/usr/bin/sqlite3"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs `sql` on `store`; returns the exit status and what it printed.
    @discardableResult
    static func run(_ store: String, _ sql: String) -> (status: Int32, out: String) {
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: path)
        tool.arguments = [store, sql]
        let out = Pipe()
        tool.standardOutput = out
        tool.standardError = FileHandle.nullDevice
        do { try tool.run() } catch { return (-1, "") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        tool.waitUntilExit()
        return (tool.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
