import ArgumentParser
import SecretsProtocol

/// `--overwrite` / `--skip-existing`, shared by `import` and `restore`: what to do with a
/// secret that already exists (default: fail with exit 8 and write nothing).
struct ExistingSecretOptions: ParsableArguments {
    @Flag(name: .long, help: "Update secrets that already exist (a new version).")
    var overwrite = false
    @Flag(name: .customLong("skip-existing"), help: "Leave secrets that already exist as they are.")
    var skipExisting = false

    func validate() throws {
        if overwrite && skipExisting { throw ValidationError("--overwrite and --skip-existing exclude each other") }
    }

    var mode: SecretsAgent_V1_BatchPutMode {
        overwrite ? .unspecified : skipExisting ? .skipExisting : .create
    }
}
