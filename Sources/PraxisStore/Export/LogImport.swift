public import Foundation
import GRDB
import PraxisProtocol

/// Why an export was refused. Nothing was written.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    /// The 1-based line of the file at fault.
    public let line: Int
    public let message: String

    public var description: String { "line \(line): \(message)" }
}

/// Reads a ``LogExport`` file into an empty log, after verifying all of it: every event's bytes
/// canonical and hashed as stated, positions and stream versions without a gap, every signed tree
/// head's root equal to the root recomputed from the events and signed by a key of the header.
public enum LogImport {
    /// Checks the whole file; returns how many events and heads it holds. With `trustedKeys`
    /// (key id → raw Ed25519 public key), heads must be signed by one of those rather than by a key
    /// the file's own header names — which is what an auditor who does not trust the server wants.
    public static func verify(_ url: URL, trustedKeys: [String: [UInt8]]? = nil) throws -> (events: Int64, heads: Int) {
        var reader = try LineReader(url: url)
        var state = try State(header: try reader.next(), line: reader.lineNumber)
        if let trustedKeys { state.keys = trustedKeys }
        while let line = try reader.next() { try state.read(line, at: reader.lineNumber) }
        return (state.accumulator.size, state.heads)
    }

    /// Verifies `url` (unless the caller just did, with ``verify(_:)``), then appends its events and
    /// heads to `store`, which must be empty. A cancelled task stops before the next page of 1,000
    /// events with `CancellationError`.
    @discardableResult
    public static func load(
        _ url: URL, into store: SQLiteEventStore, alreadyVerified: Bool = false, progress: (LogPosition) -> Void = { _ in }
    ) async throws -> (events: Int64, heads: Int) {
        guard try await store.head() == .start else { throw ImportError(line: 0, message: "the target log is not empty") }
        let totals = alreadyVerified ? (0, 0) : try verify(url)
        var reader = try LineReader(url: url)
        var state = try State(header: try reader.next(), line: reader.lineNumber)
        var events: [RecordedEvent] = []
        var heads: [SignedTreeHead] = []
        func flush() async throws {
            try Task.checkCancellation()
            try await store.importVerified(events, heads: heads, keys: state.keys.map { ($0.key, $0.value) })
            if let last = events.last { progress(last.position) }
            events.removeAll(keepingCapacity: true)
            heads.removeAll(keepingCapacity: true)
        }
        while let line = try reader.next() {
            switch try state.read(line, at: reader.lineNumber) {
            case .event(let event): events.append(event)
            case .treeHead(let head): heads.append(head)
            }
            if events.count >= 1000 { try await flush() }
        }
        try await flush()
        return alreadyVerified ? (state.accumulator.size, state.heads) : totals
    }

    /// The checks, line by line.
    struct State {
        enum Item { case event(RecordedEvent), treeHead(SignedTreeHead) }

        var keys: [String: [UInt8]] = [:]
        var accumulator = MerkleAccumulator()
        var streamVersions: [StreamName: Int64] = [:]
        var heads = 0

        init(header line: ArraySlice<UInt8>?, line number: Int) throws {
            guard let line, let value = try? JSONParser.parse(line), value["kind"] == "header",
                value["format"]?.stringValue == LogExport.format
            else { throw ImportError(line: max(number, 1), message: "the file does not start with a \(LogExport.format) header") }
            for key in value["keys"]?.arrayValue ?? [] {
                guard let id = key["key_id"]?.stringValue, let bytes = key["public_key"]?.stringValue.flatMap(Base64URL.decode),
                    bytes.count == 32, EventHash(hashing: bytes).base64URL == id
                else { throw ImportError(line: number, message: "a header key is malformed or does not match its id") }
                keys[id] = bytes
            }
        }

        @discardableResult
        mutating func read(_ line: ArraySlice<UInt8>, at number: Int) throws -> Item {
            func fail(_ message: String) -> ImportError { ImportError(line: number, message: message) }
            guard let value = try? JSONParser.parse(line) else { throw fail("not a JSON line") }
            switch value["kind"]?.stringValue {
            case "event":
                guard let position = value["position"]?.integerValue, let version = value["stream_version"]?.integerValue,
                    let time = value["server_time"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
                    let hash = value["hash"]?.stringValue.flatMap(EventHash.init(base64URL:)),
                    let bytes = value["canonical"]?.stringValue.flatMap(Base64URL.decode)
                else { throw fail("an event line lacks a field") }
                guard position == accumulator.size + 1 else { throw fail("position \(position) follows \(accumulator.size)") }
                let event: AuthoredEvent
                do {
                    let signature = try value["signature"].map { value throws(EnvelopeError) in try EventSignature(json: value) }
                    event = try AuthoredEvent(canonicalBytes: bytes, signature: signature)
                } catch {
                    throw fail("position \(position): \(error)")
                }
                guard event.hash == hash else { throw fail("position \(position): the hash does not match the bytes") }
                guard version == (streamVersions[event.envelope.stream] ?? 0) + 1 else {
                    throw fail("position \(position): stream \(event.envelope.stream) skips to version \(version)")
                }
                streamVersions[event.envelope.stream] = version
                let record = RecordedEvent(
                    position: LogPosition(position), streamVersion: version, serverTime: time, event: event)
                accumulator.append(record.merkleLeaf.hash)
                return .event(record)
            case "tree_head":
                guard let size = value["tree_size"]?.integerValue,
                    let root = value["root_hash"]?.stringValue.flatMap(Base64URL.decode),
                    let time = value["timestamp"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
                    let id = value["key_id"]?.stringValue,
                    let signature = value["signature"]?.stringValue.flatMap(Base64URL.decode)
                else { throw fail("a tree head line lacks a field") }
                let head = SignedTreeHead(
                    head: TreeHead(treeSize: size, rootHash: root, timestamp: time), keyID: id, signature: signature)
                guard size == accumulator.size else { throw fail("a tree head of size \(size) after \(accumulator.size) events") }
                guard root == accumulator.root else {
                    throw fail("tree size \(size): the events' root differs from the signed root")
                }
                guard let key = keys[id], head.isSigned(by: key) else {
                    throw fail("tree size \(size): the signature is not the header key's")
                }
                heads += 1
                return .treeHead(head)
            default:
                throw fail("unknown line kind")
            }
        }
    }
}

extension SQLiteEventStore {
    /// Appends already verified events exactly as recorded elsewhere (positions, stream versions,
    /// server times), with their Merkle nodes, signed heads and the keys that signed them.
    func importVerified(_ events: [RecordedEvent], heads: [SignedTreeHead], keys: [(String, [UInt8])]) async throws {
        try await pool.write { db in
            var position = try Self.head(db).value
            var tree = try SQLiteMerkle.accumulator(db, size: position)
            for event in events {
                guard event.position.value == position + 1 else {
                    throw StoreError(.invalidBatch, "position \(event.position) does not follow \(position)")
                }
                try Self.insertRow(db, event)
                position += 1
            }
            try SQLiteMerkle.append(db, &tree, events.map(\.merkleLeaf))
            for (id, key) in keys { try SQLiteMerkle.recordKey(db, id: id, publicKey: key) }
            for head in heads { try SQLiteMerkle.record(db, head) }
        }
        await signal.advance(to: try await head())
    }
}
