import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request has not arrived in full within a deadline of its head.
///
/// The idle time-out alone does not catch a client that trickles a body a few bytes at a time:
/// every byte counts as activity. This handler, placed after HTTP decoding, starts a timer when a
/// request's head arrives and stops it at the request's end; if the timer fires first, the
/// connection is closed. (A head that trickles in never becomes a part, so the idle time-out,
/// which only counts whole parts, already closes that connection.)
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: Duration) {
        self.timeout = .nanoseconds(Int64(timeout / .nanoseconds(1)))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                context.close(promise: nil)
            }
        case .body:
            break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
