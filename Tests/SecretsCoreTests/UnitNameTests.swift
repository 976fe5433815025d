import SecretsCore
import Testing

/// `UnitName`: systemd's rules for unit names (`unit_name_is_valid`), less templates.
@Suite struct UnitNameTests {
    @Test(arguments: ["web.service", "worker@1.service", "getty@tty1.service", "a:b_c.d\\x2de-f.service", "x.socket",
                      "dev-sda.device", "var-lib.mount", "backup.timer", "a@b@c.service"])
    func validNames(_ name: String) throws {
        #expect(try UnitName(name).rawValue == name)
    }

    @Test(arguments: ["", "web", ".service", "web.", "web.services", "web.Service", "worker@.service", "@x.service",
                      "we b.service", "web/x.service", "wéb.service", "web.service\n", "web\u{0}.service"])
    func invalidNames(_ name: String) {
        #expect(throws: SecretsError.self) { try UnitName(name) }
    }

    @Test func atMost255Bytes() throws {
        let longest = String(repeating: "a", count: 255 - ".service".count) + ".service"
        #expect(try UnitName(longest).rawValue == longest)
        #expect(throws: SecretsError.self) { try UnitName("a" + longest) }
    }

    @Test func theMessageNamesTheRule() {
        #expect {
            try UnitName("web.servic")
        } throws: { error in
            (error as? SecretsError)?.message == "invalid unit name 'web.servic': '.servic' is not a unit type (\(UnitName.rule))"
        }
    }
}
