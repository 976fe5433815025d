internal import CSodium

/// The libsodium library as a whole: its one-time initialization.
public enum Sodium {
    /// Runs `sodium_init()` exactly once per process, however many threads call this.
    ///
    /// Every API in this module calls it first, so callers only need it before using
    /// libsodium through some other path. Stops the process if libsodium cannot
    /// initialize (no usable random source), since nothing secret could be done safely.
    public static func ensureInitialized() {
        _ = initialization
    }

    /// A static `let` is initialized lazily, once, under `swift_once`: thread-safe.
    private static let initialization: Void = {
        if sodium_init() < 0 {
            fatalError("secrets-agent: cannot initialize libsodium: sodium_init failed")
        }
    }()
}
