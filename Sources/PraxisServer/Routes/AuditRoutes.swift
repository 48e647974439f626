import Hummingbird
import PraxisProtocol
import PraxisStore

/// `/v1/audit/…`: what an auditor needs to check the log without trusting the operator — signed
/// tree heads, inclusion and consistency proofs. They reveal hashes only, so they need no
/// credentials.
struct AuditRoutes<Store: EventStore> {
    let store: Store

    func register(on v1: RouterGroup<PraxisRequestContext>) {
        let store = self.store
        v1.get("/audit/tree-head") { _, _ in
            guard let head = try await store.latestSignedTreeHead() else {
                throw APIError(.notFound, code: "not_found", "no tree head has been signed yet")
            }
            return JSONResponse(head.json)
        }
        v1.get("/audit/tree-heads") { request, _ in
            let query = request.uri.queryParameters
            let after = try LogRoutes<Store>.integer(
                query["after"].map(String.init), name: "after", default: 0, in: 0...Int64.max)
            let limit = try LogRoutes<Store>.integer(query["limit"].map(String.init), name: "limit", default: 100, in: 1...1000)
            let heads = try await store.signedTreeHeads(after: after, limit: Int(limit))
            return JSONResponse(["tree_heads": .array(heads.map(\.json))])
        }
        v1.get("/audit/proofs/inclusion") { request, _ in
            let query = request.uri.queryParameters
            let position = try LogRoutes<Store>.integer(
                query["position"].map(String.init), name: "position", default: nil, in: 1...Int64.max)
            let size = try LogRoutes<Store>.integer(
                query["tree_size"].map(String.init), name: "tree_size", default: nil, in: 1...Int64.max)
            let proof = try await store.inclusionProof(position: LogPosition(position), treeSize: size)
            return JSONResponse(MerkleTree.inclusionJSON(position: position, treeSize: size, proof: proof))
        }
        v1.get("/audit/proofs/consistency") { request, _ in
            let query = request.uri.queryParameters
            let first = try LogRoutes<Store>.integer(
                query["first"].map(String.init), name: "first", default: nil, in: 1...Int64.max)
            let second = try LogRoutes<Store>.integer(
                query["second"].map(String.init), name: "second", default: nil, in: 1...Int64.max)
            let proof = try await store.consistencyProof(first: first, second: second)
            return JSONResponse(MerkleTree.consistencyJSON(first: first, second: second, proof: proof))
        }
    }
}
