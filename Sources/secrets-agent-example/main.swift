// A runnable example of the async client library (SecretsClient), for Swift services:
//
//   secrets-agent-example NAME [CHANGES]
//
// Connects to the agent ($SECRETS_AGENT_SOCK or the default socket), reads NAME, uses it
// without printing it, then follows CHANGES rotations of it (default 0), reading each new
// value. Exit 3/4/5/6 as the CLI for not found, denied, locked and no agent.
import Foundation
import SecretsClient
import SecretsCore

@main
struct SecretsAgentExample {
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, arguments.count <= 2 else {
            FileHandle.standardError.write(Data("usage: secrets-agent-example NAME [CHANGES]\n".utf8))
            exit(64)
        }
        let changes = arguments.dropFirst().first.flatMap(Int.init) ?? 0
        do throws(SecretsError) {
            let agent = try await AsyncAgentClient.connect()
            let secret = try await agent.get(name)
            // Printing a SecretValue shows [REDACTED]; use its bytes only where needed.
            print("\(name): \(secret.count) bytes, \(secret)")
            guard changes > 0 else { return }
            print("watching \(name) for \(changes) change(s)")
            var seen = 0
            do {
                for try await change in agent.watch([name]) {
                    let fresh = try await agent.get(name)
                    print("\(change.kind.rawValue) \(change.name) version \(change.version): \(fresh.count) bytes")
                    seen += 1
                    if seen == changes { break }
                }
            } catch let error as SecretsError {
                throw error
            } catch {
                throw SecretsError.unavailable("watch ended: \(error)")
            }
        } catch {
            FileHandle.standardError.write(Data("secrets-agent-example: \(error.message)\n".utf8))
            let code: Int32 = switch error.code {
            case .notFound: 3
            case .permissionDenied: 4
            case .locked: 5
            case .unavailable: 6
            default: 1
            }
            exit(code)
        }
    }
}
