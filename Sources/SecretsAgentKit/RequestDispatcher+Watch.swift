import SecretsCore
import SecretsProtocol

/// Watch: the connection becomes a stream of change events the caller may see.
extension RequestDispatcher {
    func handleWatch(_ request: SecretsAgent_V1_WatchRequest, _ requestID: UInt64, _ session: inout Session,
                     _ grant: Grant, _ context: inout AuditContext) throws -> SecretsAgent_V1_WatchReply {
        context.operation = "watch"
        context.environment = request.environment.isEmpty ? nil : request.environment
        let environment = request.environment.isEmpty ? nil : try Environment(request.environment)
        let names = Set(try request.names.map { try SecretName($0) })
        if let environment { try grant.check(.list, environment: environment) } else { try grant.check(.list) }
        for name in names where !grant.allows(name: name) {
            throw SecretsError.permissionDenied("permission denied: \(grant.who) is \(grant.scope); \(name) is outside that grant")
        }
        guard session.watch == nil else {
            throw SecretsError.invalidArgument("this connection is already watching (open another connection)")
        }
        let filter: @Sendable (SecretsAgent_V1_ChangeEvent) -> Bool = { event in
            guard let name = try? SecretName(event.name), let changed = try? Environment(event.environment) else { return false }
            return (names.isEmpty || names.contains(name)) && (environment == nil || environment == changed)
                && grant.allows(name: name) && grant.allows(environment: changed)
        }
        guard let subscription = changes.subscribe(filter: filter) else {
            throw SecretsError.resourceExhausted("the agent is out of file descriptors (close idle clients and retry)")
        }
        session.watch = Session.Watch(subscription: subscription, requestID: requestID)
        context.detail = names.isEmpty ? "every name" : names.map(\.rawValue).sorted().joined(separator: ", ")
        return SecretsAgent_V1_WatchReply()
    }
}
