public import Hummingbird
public import PraxisProtocol

/// A JSON answer. The body is written in RFC 8785 form: compact, with sorted keys, the same bytes
/// for the same value on every run.
public struct JSONResponse: ResponseGenerator, Sendable {
    /// The body, in canonical form.
    public let body: [UInt8]
    /// The status.
    public let status: HTTPResponse.Status

    public init(_ value: JSONValue, status: HTTPResponse.Status = .ok) {
        self.init(encoded: CanonicalJSON.encode(value), status: status)
    }

    /// An answer whose body is already in canonical form (``EncodedObject/bytes``).
    public init(encoded body: [UInt8], status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) -> Response {
        response()
    }

    func response() -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
