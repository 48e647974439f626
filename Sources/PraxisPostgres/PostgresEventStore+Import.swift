import Foundation
import Logging
import NIOCore
import PostgresNIO
public import PraxisProtocol
public import PraxisStore

extension PostgresEventStore {
    /// Appends events exactly as another log recorded them (positions, stream versions, server
    /// times, author signatures), with their Merkle nodes, the signed heads up to them and the keys
    /// that signed those. The events must continue this log's head; the caller verified them.
    public func importRecorded(_ events: [RecordedEvent], heads: [SignedTreeHead], keys: [(id: String, publicKey: [UInt8])])
        async throws(StoreError)
    {
        let logger = self.logger
        let keyRows = keys.map { KeyRow(id: $0.id, publicKey: $0.publicKey) }
        try await run {
            try await self.client.withConnection { connection in
                try await connection.transaction(logger: logger) { connection in
                    try await connection.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.sequencerLock))", logger: logger)
                    var head = try await Self.head(connection, logger: logger).value
                    var tree = try await PostgresMerkle.accumulator(connection, size: head, logger: logger)
                    for event in events {
                        guard event.position.value == head + 1 else {
                            throw StoreError(.invalidBatch, "position \(event.position) does not follow \(head)")
                        }
                        head += 1
                    }
                    let nodes = PostgresMerkle.newNodes(&tree, events.map(\.merkleLeaf))
                    try await Self.write(connection, events, nodes: nodes, head: nil, key: nil, logger: logger)
                    for key in keyRows {
                        try await PostgresMerkle.recordKey(connection, id: key.id, publicKey: key.publicKey, logger: logger)
                    }
                    for signed in heads { try await PostgresMerkle.record(connection, signed, logger: logger) }
                }
            }
        }
        if let last = events.last { await signal.advance(to: last.position) }
    }

    private struct KeyRow: Sendable {
        let id: String
        let publicKey: [UInt8]
    }
}
