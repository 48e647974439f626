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
    /// fresh version 7 UUID, which the answer's `ids` returns.
    func register(_ route: CommandRoute, on group: RouterGroup<PraxisRequestContext>) {
        register(route.command, route, on: group)
    }

    private func register<C: Command & Decodable>(
        _ type: C.Type, _ route: CommandRoute, on group: RouterGroup<PraxisRequestContext>
    ) {
        let (parameters, fixed, selfField, creates, caller) = (
            route.parameters, route.fixed, route.selfField, route.creates, route.caller
        )
        group.on(RouterPath(route.path), method: route.method) { request, context in
            var fields = try await RequestBody.object(of: request, limit: bodyLimit)
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
            let command = try CommandDecoding.decode(C.self, from: fields)
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

/// Decodes commands from JSON objects, turning decoding errors into `invalid_field` answers that
/// name the field as the wire does.
enum CommandDecoding {
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    static func decode<C: Decodable>(_ type: C.Type, from fields: [String: JSONValue]) throws(APIError) -> C {
        do {
            return try decoder.decode(C.self, from: Data(CanonicalJSON.encode(.object(fields))))
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw APIError(.badRequest, code: "invalid_field", "the body does not describe this command")
        }
    }

    private static func describe(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidField(path(context.codingPath + [key]), "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .invalidField(path(context.codingPath), "has the wrong type")
        case .dataCorrupted(let context):
            // Our own types explain themselves; the standard library's enum message is Swift-speak.
            let message =
                context.debugDescription.hasPrefix("Cannot initialize")
                ? "has a value this field does not take" : context.debugDescription
            return .invalidField(path(context.codingPath), message)
        @unknown default:
            return APIError(.badRequest, code: "invalid_field", "the body does not describe this command")
        }
    }

    /// `learningEvent` → `learning_event`, array indices as numbers.
    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { key in
            if let index = key.intValue { return String(index) }
            return key.stringValue.reduce(into: "") { result, character in
                if character.isUppercase {
                    result += "_" + character.lowercased()
                } else {
                    result.append(character)
                }
            }
        }.joined(separator: ".")
    }
}

extension APIError {
    static func invalidField(_ field: String, _ message: String) -> APIError {
        var error = APIError(.badRequest, code: "invalid_field", "\(field.isEmpty ? "the body" : field) \(message)")
        error.field = field.isEmpty ? nil : field
        return error
    }
}
