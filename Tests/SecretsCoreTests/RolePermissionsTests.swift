import SecretsCore
import Testing

@Suite struct RolePermissionsTests {
    /// DESIGN §6's matrix, written out by hand: operation, admin, viewer, agent.
    static let matrix: [(SecretsCore.Operation, admin: Bool, viewer: Bool, agent: Bool)] = [
        (.status, admin: true, viewer: true, agent: true),
        (.unlock, admin: true, viewer: false, agent: false),
        (.lock, admin: true, viewer: false, agent: false),
        (.put, admin: true, viewer: false, agent: false),
        (.delete, admin: true, viewer: false, agent: false),
        (.keyslots, admin: true, viewer: false, agent: false),
        (.getValue, admin: true, viewer: false, agent: true),
        (.getMasked, admin: true, viewer: true, agent: true),
        (.list, admin: true, viewer: true, agent: true),
        (.history, admin: true, viewer: true, agent: true),
        (.auditQuery, admin: true, viewer: true, agent: false),
        (.auditVerify, admin: true, viewer: true, agent: false),
    ]

    @Test func theTableNamesEveryOperationOnce() {
        #expect(Self.matrix.map(\.0) == SecretsCore.Operation.allCases)
    }

    @Test func operationsHaveTheirWireNames() {
        #expect(SecretsCore.Operation.allCases.map(\.rawValue) == [
            "status", "unlock", "lock", "put", "delete", "keyslots",
            "getValue", "getMasked", "list", "history", "auditQuery", "auditVerify",
        ])
    }

    @Test(arguments: matrix)
    func everyRoleAndOperationIsAsDesigned(_ row: (SecretsCore.Operation, admin: Bool, viewer: Bool, agent: Bool)) {
        let (operation, admin, viewer, agent) = row
        #expect(Role.admin.permits(operation) == admin, "admin \(operation)")
        #expect(Role.viewer.permits(operation) == viewer, "viewer \(operation)")
        #expect(Role.agent.permits(operation) == agent, "agent \(operation)")
    }

    @Test func onlyAdminWrites() {
        for operation: SecretsCore.Operation in [.unlock, .lock, .put, .delete, .keyslots] {
            #expect(Role.allCases.filter { $0.permits(operation) } == [.admin], "\(operation)")
        }
    }
}
