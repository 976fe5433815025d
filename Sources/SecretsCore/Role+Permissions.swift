extension Role {
    /// Whether this role may perform `operation` at all: the matrix of DESIGN §6.
    ///
    /// | operation | admin | viewer | agent |
    /// |---|---|---|---|
    /// | status | yes | yes | yes |
    /// | unlock, lock, put, delete, keyslots | yes | no | no |
    /// | getValue | yes | no | yes |
    /// | getMasked, list, history | yes | yes | yes |
    /// | auditQuery, auditVerify | yes | yes | no |
    ///
    /// For an agent this is necessary, not sufficient: the secret must also lie within
    /// the grant of its rule (`PolicyRule.allows(environment:)` and `allows(name:)`).
    public func permits(_ operation: Operation) -> Bool {
        switch self {
        case .admin:
            return true
        case .viewer:
            switch operation {
            case .status, .getMasked, .list, .history, .auditQuery, .auditVerify: return true
            case .unlock, .lock, .put, .delete, .keyslots, .getValue: return false
            }
        case .agent:
            switch operation {
            case .status, .getValue, .getMasked, .list, .history: return true
            case .unlock, .lock, .put, .delete, .keyslots, .auditQuery, .auditVerify: return false
            }
        }
    }
}
