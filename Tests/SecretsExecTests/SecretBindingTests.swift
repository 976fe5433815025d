import Testing
@testable import SecretsExec
import SecretsCore

@Suite struct SecretBindingTests {
    @Test func parsesVariableAndName() throws {
        let binding = try SecretBinding(parsing: "OPENAI_API_KEY=openai/key")
        #expect(binding.variable == "OPENAI_API_KEY")
        #expect(binding.name.rawValue == "openai/key")
    }

    @Test func rejectsBadVariablesAndNames() {
        for bad in ["NOEQUALS", "1ABC=x/y", "A-B=x/y", "=x/y", "A=", "A=../etc"] {
            #expect(throws: SecretsError.self, "\(bad)") { try SecretBinding(parsing: bad) }
        }
    }

    @Test func onChangeParsesSignalsByNameAndNumber() throws {
        #expect(try OnChange(parsing: "none") == .none)
        #expect(try OnChange(parsing: "restart") == .restart)
        #expect(try OnChange(parsing: "signal:USR1") == .signal(10))
        #expect(try OnChange(parsing: "signal:SIGHUP") == .signal(1))
        #expect(try OnChange(parsing: "signal:15") == .signal(15))
        #expect(throws: SecretsError.self) { try OnChange(parsing: "signal:NOPE") }
        #expect(throws: SecretsError.self) { try OnChange(parsing: "reload") }
    }

    @Test func terminalVariantsTranslateNewlines() {
        let patterns = ExecSession.withTerminalVariants([.init(name: "a", value: Array("x\ny".utf8)),
                                                         .init(name: "b", value: Array("plain".utf8))])
        #expect(patterns.count == 3)
        #expect(patterns[2].value == Array("x\r\ny".utf8))
    }
}
