import ArgumentParser
import Foundation
import SecretsClient
import SecretsCore

extension SecretsAgentCommand {
    /// `secrets-agent doctor`: checks the store, socket, key files, policy, agent, unit and
    /// the files and environment around them; prints a fix for each problem.
    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "doctor", 
            abstract: "Check this host's setup and print the command that fixes each problem (exit 1 when any check fails).")

        @Flag(name: .long, help: "Print a JSON array of {check, status, detail, fix}.")
        var json = false
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("key-file"), help: ArgumentHelp("A key file to check (repeatable).", valueName: "file"))
        var keyFiles: [String] = []
        @Option(name: .long, help: ArgumentHelp("A policy file to check.", valueName: "file"))
        var policy: String?
        @Option(name: .customLong("check-path"), help: ArgumentHelp("Look for secret-looking files others can read under this directory (repeatable).", valueName: "dir"))
        var checkPaths: [String] = []
        @Option(name: .long, help: ArgumentHelp("The systemd unit to check (default: /etc/systemd/system/secrets-agent.service if present).", valueName: "file"))
        var unit: String?

        static let defaultUnit = "/etc/systemd/system/secrets-agent.service"

        func run() throws {
            let unitPath = unit ?? (access(Doctor.defaultUnit, F_OK) == 0 ? Doctor.defaultUnit : nil)
            let owner = DoctorOwner.resolve(socket: connection.socketPath, unit: unitPath)
            var checks = Doctor.storeChecks(storeOptions.storePath, owner: owner)
            checks += Doctor.socketChecks(connection.socketPath, owner: owner)
            checks += keyFiles.map { Doctor.keyFileCheck($0, owner: owner) }
            checks.append(Doctor.credentialsCheck(ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"]))
            checks.append(policy.map(Doctor.policyCheck) ?? .skip("policy", "no --policy given"))
            checks += Doctor.agentChecks(socket: connection.socketPath)
            if let unitPath {
                checks += Doctor.unitChecks(unitPath)
            } else {
                checks.append(.skip("unit", "no --unit given and no \(Doctor.defaultUnit)"))
            }
            checks += checkPaths.flatMap(Doctor.exposedFileChecks)

            if json {
                JSONOutput.print(checks.map(\.json))
            } else {
                Doctor.printTable(checks)
            }
            if checks.contains(where: { $0.status == .fail }) { throw ExitCode(1) }
        }

        static func printTable(_ checks: [DoctorCheck]) {
            func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
            let width = max(5, checks.map(\.check.count).max() ?? 0)
            let detailWidth = min(72, max(6, checks.map(\.detail.count).max() ?? 0))
            Terminal.print("STATUS  \(pad("CHECK", width))  \(pad("DETAIL", detailWidth))  FIX")
            for c in checks {
                let line = "\(pad(c.status.rawValue, 6))  \(pad(c.check, width))  \(c.fix.isEmpty ? c.detail : pad(c.detail, detailWidth) + "  " + c.fix)"
                Terminal.print(line)
            }
            let count = { (s: DoctorCheck.Status) in checks.filter { $0.status == s }.count }
            Terminal.print("\(count(.ok)) ok, \(count(.warn)) warn, \(count(.fail)) fail, \(count(.skip)) skipped")
        }
    }
}
