import Foundation
public import PraxisProtocol

/// Why a JSON object does not describe a command.
public struct CommandDecodingError: Error, Sendable {
    /// The field to blame, as the wire names it (`learning_event`, `cites.2`); `nil` for the body.
    public let field: String?
    /// What is wrong with it, phrased to follow the field's name.
    public let message: String
}

/// Decodes commands from JSON objects (HTTP bodies, pushed event payloads), naming the offending
/// field as the wire does.
public enum CommandDecoding {
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// `fields` decoded as `type`.
    public static func decode<C: Decodable>(_ type: C.Type, from fields: [String: JSONValue]) throws(CommandDecodingError)
        -> C
    {
        do {
            return try decoder.decode(C.self, from: Data(CanonicalJSON.encode(.object(fields))))
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw CommandDecodingError(field: nil, message: "the body does not describe this command")
        }
    }

    private static func describe(_ error: DecodingError) -> CommandDecodingError {
        switch error {
        case .keyNotFound(let key, let context):
            return CommandDecodingError(field: path(context.codingPath + [key]), message: "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return CommandDecodingError(field: path(context.codingPath), message: "has the wrong type")
        case .dataCorrupted(let context):
            // Our own types explain themselves; the standard library's enum message is Swift-speak.
            let message =
                context.debugDescription.hasPrefix("Cannot initialize")
                ? "has a value this field does not take" : context.debugDescription
            return CommandDecodingError(field: path(context.codingPath), message: message)
        @unknown default:
            return CommandDecodingError(field: nil, message: "the body does not describe this command")
        }
    }

    /// `learningEvent` → `learning_event`, array indices as numbers; `nil` for the root.
    private static func path(_ keys: [any CodingKey]) -> String? {
        let path = keys.map { key in
            if let index = key.intValue { return String(index) }
            return key.stringValue.reduce(into: "") { result, character in
                if character.isUppercase {
                    result += "_" + character.lowercased()
                } else {
                    result.append(character)
                }
            }
        }.joined(separator: ".")
        return path.isEmpty ? nil : path
    }
}
