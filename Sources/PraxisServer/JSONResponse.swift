public import Hummingbird
public import PraxisProtocol

/// A JSON answer. The body is written in RFC 8785 form: compact, with sorted keys, the same bytes
/// for the same value on every run.
public struct JSONResponse: ResponseGenerator, Sendable {
    /// The body.
    public let value: JSONValue
    /// The status.
    public let status: HTTPResponse.Status

    public init(_ value: JSONValue, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) -> Response {
        response()
    }

    func response() -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value))))
    }
}
