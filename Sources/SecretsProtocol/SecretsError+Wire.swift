import SecretsCore

extension SecretsError.Code {
    /// The wire code for this error code.
    public var wireCode: SecretsAgent_V1_ErrorCode {
        switch self {
        case .invalidArgument: .invalidArgument
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .permissionDenied: .permissionDenied
        case .locked: .locked
        case .conflict: .conflict
        case .integrityFailure: .integrityFailure
        case .unavailable: .unavailable
        case .resourceExhausted: .resourceExhausted
        default: .internal
        }
    }

    /// The error code for a wire code; unknown codes become `.internal`.
    public init(wireCode: SecretsAgent_V1_ErrorCode) {
        switch wireCode {
        case .invalidArgument: self = .invalidArgument
        case .notFound: self = .notFound
        case .alreadyExists: self = .alreadyExists
        case .permissionDenied: self = .permissionDenied
        case .locked: self = .locked
        case .conflict: self = .conflict
        case .integrityFailure: self = .integrityFailure
        case .unavailable: self = .unavailable
        case .resourceExhausted: self = .resourceExhausted
        default: self = .internal
        }
    }
}

extension SecretsError {
    /// The wire form of this error.
    public var wire: SecretsAgent_V1_Error {
        var e = SecretsAgent_V1_Error()
        e.code = code.wireCode
        e.message = message
        return e
    }

    /// An error received from the agent.
    public init(wire: SecretsAgent_V1_Error) {
        self.init(Code(wireCode: wire.code), wire.message)
    }
}
