import SecretsCore
import Testing

@Suite struct RoleTests {
    @Test func theThreeRolesOfDesign6() {
        #expect(Role.allCases == [.admin, .viewer, .agent])
        #expect(Role.allCases.map(\.rawValue) == ["admin", "viewer", "agent"])
        #expect(Role(rawValue: "admin") == .admin)
        #expect(Role(rawValue: "Admin") == nil)
        #expect(Role(rawValue: "root") == nil)
    }
}
