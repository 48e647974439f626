import Foundation
import Hummingbird
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// Turns HTTP requests into commands: the JSON body, plus the path's parameters, plus fixed
/// values the route implies, plus fresh ids for the things the command creates, decoded as the
/// command; then executes it for the caller.
struct CommandEndpoint<Store: EventStore> {
    let service: CommandService<Store>
    let bodyLimit: Int
    let clock: @Sendable () -> Timestamp

    /// Registers `route` on `group`. Fields in `route.creates` that the client leaves out get a
    /// fresh version 7 UUID, which the answer's `ids` returns. A body member the command does not
    /// read is refused (``BodyFields``).
    func register(_ route: CommandRoute, on group: RouterGroup<PraxisRequestContext>) {
        register(route.command, route, on: group)
    }

    private func register<C: Command & Decodable>(
        _ type: C.Type, _ route: CommandRoute, on group: RouterGroup<PraxisRequestContext>
    ) {
        let (parameters, fixed, selfField, creates, caller) = (
            route.parameters, route.fixed, route.selfField, route.creates, route.caller
        )
        let accepted = BodyFields(route)
        group.on(RouterPath(route.path), method: route.method) { request, context in
            var fields = try accepted.check(try await RequestBody.object(of: request, limit: bodyLimit))
            var implied = fixed
            for name in parameters { implied[name] = context.parameters.get(name).map { .string($0) } }
            if let selfField, let member = context.member { implied[selfField] = .string(member.description) }
            for (name, value) in implied {
                if let given = fields[name], given != value {
                    throw APIError.invalidField(name, "is set by the request's path and must not differ from it")
                }
                fields[name] = value
            }
            var generated: [String: JSONValue] = [:]
            var random = SystemRandomNumberGenerator()
            for name in creates where fields[name] == nil {
                generated[name] = .string(UUID.version7(at: clock(), using: &random).wireString)
                fields[name] = generated[name]
            }
            let command = try Self.decode(C.self, from: fields)
            let actor: Actor
            switch caller {
            case .operator: actor = .operator
            case .member:
                guard let member = context.member else { throw APIError.unauthorized }
                actor = .member(member)
            }
            let events = try await service.execute(command, as: actor)
            return JSONResponse(
                [
                    "events": .array(
                        events.map {
                            [
                                "id": .string($0.id.wireString), "position": .number(Double($0.position.value)),
                                "stream": .string($0.stream.rawValue), "type": .string($0.type.rawValue),
                            ]
                        }),
                    "ids": .object(generated),
                ], status: creates.isEmpty ? .ok : .created)
        }
    }
}

extension CommandEndpoint {
    /// `fields` as the command `type`, or `invalid_field` naming the field to blame.
    static func decode<C: Decodable>(_ type: C.Type, from fields: [String: JSONValue]) throws(APIError) -> C {
        do {
            return try CommandDecoding.decode(C.self, from: fields)
        } catch {
            guard let field = error.field else { throw APIError(.badRequest, code: "invalid_field", error.message) }
            throw APIError.invalidField(field, error.message)
        }
    }
}

extension APIError {
    static func invalidField(_ field: String, _ message: String) -> APIError {
        var error = APIError(.badRequest, code: "invalid_field", "\(field.isEmpty ? "the body" : field) \(message)")
        error.field = field.isEmpty ? nil : field
        return error
    }
}
