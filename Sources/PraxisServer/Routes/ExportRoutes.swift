import Hummingbird
import PraxisProtocol
import PraxisStore

/// `GET /v1/operator/export?up_to=`: the log as a `praxis-log/1` export (NDJSON), streamed —
/// what `praxis audit verify --url` checks against a pinned public key.
struct ExportRoutes<Store: EventStore> {
    let store: Store

    func register(on group: RouterGroup<PraxisRequestContext>) {
        let store = self.store
        group.get("/export") { request, _ in
            let upTo = try request.uri.queryParameters["up_to"].map { text throws(APIError) in
                try LogRoutes<Store>.integer(String(text), name: "up_to", default: nil, in: 0...Int64.max)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/x-ndjson"],
                body: ResponseBody { writer in
                    try await LogExport.write(from: store, upTo: upTo) { bytes in try await writer.write(ByteBuffer(bytes: bytes))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
