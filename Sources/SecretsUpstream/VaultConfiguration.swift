/// Where the upstream is and how to reach it (`serve --upstream …`).
public struct VaultConfiguration: Sendable {
    /// The server's address, `https://host:8200` (or `http://` on loopback for tests).
    public var url: String
    /// The KV v2 mount. `--upstream-mount`, default `secret`.
    public var mount: String = "secret"
    /// A path inside the mount before the environment. `--upstream-prefix`, default none.
    public var prefix: String = ""
    /// Token file or AppRole.
    public var credentials: UpstreamCredentials
    /// A PEM file of CA certificates to trust instead of the system's. `--upstream-ca-file`.
    public var caFile: String?
    /// How long to wait for a connection.
    public var connectTimeoutSeconds: Int64 = 2
    /// How long to wait for a whole answer.
    public var requestTimeoutSeconds: Int64 = 10

    /// A configuration with the documented defaults.
    public init(url: String, credentials: UpstreamCredentials) {
        self.url = url
        self.credentials = credentials
    }
}
