import Foundation
import Hummingbird
import PraxisProtocol

/// Reads a request's JSON body strictly: bounded in size, `application/json`, parsed by the
/// protocol's parser (so duplicate keys, invalid UTF-8, deep nesting and out-of-range numbers are
/// refused with their own codes), and an object.
enum RequestBody {
    static func object(of request: Request, limit: Int) async throws -> [String: JSONValue] {
        let bytes = try await Self.bytes(of: request, limit: limit)
        guard !bytes.isEmpty else { return [:] }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw APIError(.badRequest, code: error.code.description, "the body is not acceptable JSON: \(error.message)")
        }
        guard case .object(let members) = value else {
            throw APIError(.badRequest, code: "invalid_json", "the body must be a JSON object")
        }
        return members
    }

    /// The body's bytes, bounded in size; a non-empty body must be `application/json`. Sync keeps
    /// the exact bytes, because they are signed.
    static func bytes(of request: Request, limit: Int) async throws -> [UInt8] {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        guard buffer.readableBytes > 0 else { return [] }
        guard isJSON(contentType: request.headers[.contentType] ?? "") else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type", "send the body as application/json, in UTF-8")
        }
        return Array(buffer.readableBytesView)
    }

    /// Whether a `Content-Type` names JSON: the media type `application/json` (in any case),
    /// with no charset parameter or `utf-8` (JSON is UTF-8, RFC 8259 §8.1).
    static func isJSON(contentType: String) -> Bool {
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        guard let mediaType = parts.first, trimmed(mediaType).lowercased() == "application/json" else { return false }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard trimmed(pair[0]).lowercased() == "charset" else { continue }
            let value = pair.count == 2 ? trimmed(pair[1]).lowercased() : ""
            guard value == "utf-8" || value == "\"utf-8\"" else { return false }
        }
        return true
    }

    private static func trimmed(_ text: Substring) -> String { text.trimmingCharacters(in: .whitespaces) }
}
