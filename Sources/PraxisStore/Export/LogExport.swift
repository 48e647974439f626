public import Foundation
import GRDB
import PraxisProtocol

/// The portable form of a log: NDJSON, one RFC 8785 object per line —
///
/// 1. `{"format":"praxis-log/1","keys":[{"key_id":…,"public_key":…}],"kind":"header"}`: the keys
///    that signed tree heads;
/// 2. for each event in position order, `{"canonical":…,"hash":…,"kind":"event","position":…,
///    "server_time":…,"stream_version":…}` with the author's exact bytes in base64url;
/// 3. after the event that completes it, each signed tree head: `{"kind":"tree_head", …}`.
///
/// The same log always exports to the same bytes, so export → import → export is byte-identical.
public enum LogExport {
    public static let format = "praxis-log/1"

    /// Writes events 1 … `upTo` (all when nil) and the signed heads they complete to a new file
    /// at `url`. `progress` gets the last position written after each page.
    ///
    /// The export is written to a temporary file beside `url` and linked to `url` only when
    /// complete, so an interrupted or failed export leaves no file there, and an existing file —
    /// an earlier export, or the log itself — is never replaced: that is an `unavailable` error.
    @discardableResult
    public static func write<Store: EventStore>(
        from store: Store, to url: URL, upTo: Int64? = nil, progress: (LogPosition) -> Void = { _ in }
    ) async throws -> (events: Int64, heads: Int) {
        try requireNewFile(url)
        let target = NewFile(url)
        guard FileManager.default.createFile(atPath: target.partial.path, contents: nil) else {
            throw StoreError(.unavailable, "cannot create a file in \(url.deletingLastPathComponent().path)")
        }
        defer { target.removePartial() }
        let file = try FileHandle(forWritingTo: target.partial)
        defer { try? file.close() }
        let written = try await write(from: store, upTo: upTo, progress: progress) { bytes in try file.write(contentsOf: bytes) }
        try target.publish(exists: exists(url))
        return written
    }

    /// Throws when `url` exists: an export never replaces a file. ``write(from:to:upTo:progress:)``
    /// checks it first; a caller checks it too before opening anything, so that a refused export
    /// touches nothing.
    public static func requireNewFile(_ url: URL) throws(StoreError) {
        guard !FileManager.default.fileExists(atPath: url.path) else { throw exists(url) }
    }

    private static func exists(_ url: URL) -> StoreError {
        StoreError(.unavailable, "\(url.path) exists; an export is written to a new file and never replaces one")
    }

    /// Writes the export to `emit` in chunks of about 64 KiB (for a file or an HTTP response).
    /// A cancelled task stops at the next page of 1,000 events with `CancellationError`.
    @discardableResult
    public static func write<Store: EventStore>(
        from store: Store, upTo: Int64? = nil, progress: (LogPosition) -> Void = { _ in },
        emit: ([UInt8]) async throws -> Void
    ) async throws -> (events: Int64, heads: Int) {
        let head = try await store.head().value
        let last = min(upTo ?? head, head)
        var chunk: [UInt8] = []
        func line(_ value: JSONValue) async throws {
            chunk += CanonicalJSON.encode(value) + [0x0A]
            if chunk.count >= 1 << 16 {
                try await emit(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        let keys = try await store.signingKeys()
        try await line([
            "kind": "header", "format": .string(format),
            "keys": .array(keys.map { ["key_id": .string($0.id), "public_key": .string(Base64URL.encode($0.publicKey))] }),
        ])
        var heads: [SignedTreeHead] = []
        var headCount = 0
        var next = LogPosition(1)
        while next.value <= last {
            try Task.checkCancellation()
            let page = try await store.read(from: next, limit: Int(min(1000, last - next.value + 1)))
            guard let final = page.last else { break }
            if heads.isEmpty || (heads.last?.head.treeSize ?? 0) < final.position.value {
                heads = try await store.signedTreeHeads(after: next.value - 1, limit: 10_000).filter { $0.head.treeSize <= last }
            }
            var pending = heads[...]
            for event in page {
                var fields: [String: JSONValue] = [
                    "kind": "event", "position": .number(Double(event.position.value)),
                    "stream_version": .number(Double(event.streamVersion)), "server_time": .string(event.serverTime.rfc3339),
                    "hash": .string(event.event.hash.base64URL),
                    "canonical": .string(Base64URL.encode(event.event.canonicalBytes)),
                ]
                if let signature = event.event.signature { fields["signature"] = signature.json }
                try await line(.object(fields))
                while let head = pending.first, head.head.treeSize <= event.position.value {
                    if head.head.treeSize == event.position.value, case .object(var fields) = head.json {
                        fields["kind"] = "tree_head"
                        try await line(.object(fields))
                        headCount += 1
                    }
                    pending = pending.dropFirst()
                }
            }
            heads = Array(pending)
            next = final.position.next
            progress(final.position)
        }
        if !chunk.isEmpty { try await emit(chunk) }
        return (last, headCount)
    }
}

extension SQLiteEventStore {
    public func signingKeys() async throws(StoreError) -> [(id: String, publicKey: [UInt8])] {
        try await reading { db in try SQLiteMerkle.keys(db) }
    }
}
