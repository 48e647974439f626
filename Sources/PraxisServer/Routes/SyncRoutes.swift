import HTTPTypes
import Hummingbird
import PraxisDomain
import PraxisProtocol
import PraxisStore
import PraxisSync

/// `/v1/sync/…`: delta sync for offline devices, `praxis-sync/1` (see `Protocol/PROTOCOL.md`).
/// Handshake and enrollment need no credentials; everything else is signed by a device key and
/// held to the per-device rate limit.
struct SyncRoutes<Store: EventStore> {
    let sync: SyncService<Store>
    let store: Store
    let bodyLimit: Int
    let limiter: RateLimiter?
    let liveGate: LiveConnectionGate

    func register(on v1: RouterGroup<PraxisRequestContext>) {
        let (sync, store, bodyLimit, limiter, liveGate) = (sync, store, bodyLimit, limiter, liveGate)
        let authenticate = { @Sendable (request: Request) in
            let (device, body) = try await Self.authenticate(request, sync: sync, limit: bodyLimit)
            try limiter?.check("device:\(device.device)")
            return (device, body)
        }
        v1.post("/sync/handshake") { request, _ in
            JSONResponse(try sync.handshake(body: try await RequestBody.bytes(of: request, limit: bodyLimit)))
        }
        v1.post("/sync/enroll") { request, _ in
            JSONResponse(
                try await sync.enroll(body: try await RequestBody.bytes(of: request, limit: bodyLimit)), status: .created)
        }
        v1.post("/sync/push") { request, _ in
            let (device, body) = try await authenticate(request)
            return JSONResponse(try await sync.push(body: body, from: device))
        }
        v1.get("/sync/pull") { request, _ in
            let (device, _) = try await authenticate(request)
            let query = request.uri.queryParameters
            let limit = try LogRoutes<Store>.integer(
                query["limit"].map(String.init), name: "limit", default: 100, in: 1...Int64(SyncProtocol.maximumPullLimit))
            let schemas = try SyncService<Store>.schemas(query: query["schemas"].map(String.init))
            return JSONResponse(
                encoded: try await sync.pull(
                    cursor: query["cursor"].map(String.init), limit: Int(limit), schemas: schemas, for: device))
        }
        v1.get("/sync/backfill") { request, _ in
            let (device, _) = try await authenticate(request)
            let query = request.uri.queryParameters
            guard let community = query["community"].map(String.init) else {
                throw APIError.invalidParameter("community", "is required")
            }
            let through = try LogRoutes<Store>.integer(
                query["through"].map(String.init), name: "through", default: nil, in: 0...Int64.max)
            let after = try LogRoutes<Store>.integer(
                query["after"].map(String.init), name: "after", default: 0, in: 0...Int64.max)
            let limit = try LogRoutes<Store>.integer(
                query["limit"].map(String.init), name: "limit", default: 100, in: 1...Int64(SyncProtocol.maximumPullLimit))
            let schemas = try SyncService<Store>.schemas(query: query["schemas"].map(String.init))
            return JSONResponse(
                encoded: try await sync.backfill(
                    community: community, through: through, after: after, limit: Int(limit), schemas: schemas, for: device))
        }
        v1.get("/sync/live") { request, _ in
            let (device, _) = try await authenticate(request)
            let slot = try liveGate.enter(device: device.device.description)
            let start = try await store.head()
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { writer in
                    defer { withExtendedLifetime(slot) {} }
                    try await sync.announce(to: device, from: start) { head in
                        let frame = "event: position\ndata: {\"head\":\(head.value)}\n\n"
                        try await writer.write(ByteBuffer(string: frame))
                    } keepAlive: {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                    try await writer.finish(nil)
                })
        }
    }

    /// The device that signed `request`, and the body it signed.
    private static func authenticate(_ request: Request, sync: SyncService<Store>, limit: Int) async throws
        -> (AuthenticatedDevice, [UInt8])
    {
        let body = try await RequestBody.bytes(of: request, limit: limit)
        var headers: [String: String] = [:]
        for name in [
            SyncProtocol.Header.device, SyncProtocol.Header.timestamp, SyncProtocol.Header.nonce,
            SyncProtocol.Header.signature,
        ] {
            if let field = HTTPField.Name(name), let value = request.headers[field] { headers[name] = value }
        }
        let signed = SignedRequest(
            method: request.method.rawValue, path: request.head.path ?? request.uri.path, body: body, headers: headers)
        return (try await sync.authenticate(signed), body)
    }
}
