import Crypto
import Foundation
import GRDB
public import PraxisProtocol
public import PraxisStore

/// Where a projection stands.
public struct ProjectionStatus: Sendable, Equatable {
    public let name: String
    /// The version in the code.
    public let version: Int
    /// The version the active generation was built with; differs from ``version`` until a rebuild.
    public let activeVersion: Int
    public let generation: Int64
    public let checkpoint: LogPosition
    /// The log's head minus the checkpoint.
    public let lag: Int64
    /// The shadow generation's checkpoint while a rebuild is under way.
    public let rebuildingAt: LogPosition?
}

/// A projection's fingerprint: SHA-256 over its canonical dump, at its checkpoint.
public struct ProjectionDigest: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let version: Int
    public let position: LogPosition
    /// Lowercase hex.
    public let sha256: String
    /// How many rows were hashed.
    public let rows: Int

    public var description: String { "\(name) \(version) \(position) \(sha256)" }
}

extension ProjectionEngine {
    /// Every projection's version, generation, checkpoint and lag behind the log's head.
    public func status() async throws -> [ProjectionStatus] {
        let head = try await store.head()
        let projections = self.projections
        return try await readModels.read { db in
            let entries = try RegistryEntry.all(db)
            return projections.map { projection in
                let entry = entries[projection.name]
                let checkpoint = entry?.checkpoint ?? .start
                return ProjectionStatus(
                    name: projection.name, version: projection.version, activeVersion: entry?.version ?? 0,
                    generation: entry?.generation ?? 0, checkpoint: checkpoint, lag: head.value - checkpoint.value,
                    rebuildingAt: entry?.shadow?.checkpoint)
            }
        }
    }

    /// The digest of every projection's active generation.
    public func digests() async throws -> [ProjectionDigest] {
        let projections = self.projections
        // Hashes every row of every read model: long on a large log.
        return try await readModels.readOnDispatchThread { db in
            try projections.compactMap { projection in
                guard let entry = try RegistryEntry.load(db, projection.name) else { return nil }
                var hasher = SHA256()
                var rows = 0
                try projection.dump(db, TableNames(projection: projection.name, generation: entry.generation)) { row in
                    hasher.update(data: CanonicalJSON.encode(row))
                    hasher.update(data: [0x0A])
                    rows += 1
                }
                let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
                return ProjectionDigest(
                    name: projection.name, version: entry.version, position: entry.checkpoint, sha256: hex, rows: rows)
            }
        }
    }

    /// Waits until every projection in `names` has applied `position`, for at most `timeout`.
    /// Returns the lowest checkpoint among them either way.
    public func wait(for names: [String], toReach position: LogPosition, timeout: Duration) async throws -> LogPosition {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let reached = try await checkpoint(of: names)
            if reached >= position || ContinuousClock.now >= deadline { return reached }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The lowest checkpoint among `names`.
    public func checkpoint(of names: [String]) async throws -> LogPosition {
        try await readModels.read { db in
            try names.map { try RegistryEntry.load(db, $0)?.checkpoint ?? .start }.min() ?? .start
        }
    }
}

extension ProjectionStatus {
    /// The status as operators read it (`praxis projections status --json`, `GET /v1/operator/projections`).
    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "name": .string(name), "version": .number(Double(version)), "active_version": .number(Double(activeVersion)),
            "generation": .number(Double(generation)), "checkpoint": .number(Double(checkpoint.value)),
            "lag": .number(Double(lag)),
        ]
        if let rebuildingAt { fields["rebuilding_at"] = .number(Double(rebuildingAt.value)) }
        return .object(fields)
    }
}
