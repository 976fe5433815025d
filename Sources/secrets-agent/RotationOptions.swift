import ArgumentParser
import SecretsCore

/// `--rotate-every` / `--no-rotation`, for add, update and rotate.
struct RotationOptions: ParsableArguments {
    @Option(name: .customLong("rotate-every"), help: ArgumentHelp(
        "Due for rotation this long after each change, e.g. 30d, 12h, 1w. Values the agent generated are redrawn when due; others are reported overdue by list and status.",
        valueName: "duration"))
    var rotateEvery: String?

    @Flag(name: .customLong("no-rotation"), help: "Remove the rotation policy.")
    var noRotation = false

    func validate() throws {
        if rotateEvery != nil && noRotation { throw ValidationError("--rotate-every and --no-rotation exclude each other") }
        if let rotateEvery {
            do { _ = try DurationText.seconds(rotateEvery) } catch { throw ValidationError(error.message) }
        }
    }

    /// The interval in seconds, when given.
    func seconds() throws(SecretsError) -> UInt64? {
        try rotateEvery.map { (text) throws(SecretsError) in try DurationText.seconds(text) }
    }
}
