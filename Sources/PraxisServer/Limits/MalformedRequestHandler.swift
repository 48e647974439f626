import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import PraxisProtocol

/// Answers a request the HTTP parser cannot take — headers over the size limit, broken syntax —
/// with a typed error in Praxis's shape (`431 headers_too_large`, `400 malformed_request`) and
/// closes the connection. Without it, the answer is a bare `400` with no body.
final class MalformedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let (status, code, message): (HTTPResponse.Status, String, String) =
            parserError == .headerOverflow
            ? (.requestHeaderFieldsTooLarge, "headers_too_large", "the request's headers are over the server's limit (80 KiB)")
            : (.badRequest, "malformed_request", "the request is not well-formed HTTP/1.1")
        let body: JSONValue = ["error": ["code": .string(code), "message": .string(message)]]
        let bytes = CanonicalJSON.encode(body)
        let head = HTTPResponse(
            status: status,
            headerFields: [
                .contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count), .connection: "close",
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: bytes))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
