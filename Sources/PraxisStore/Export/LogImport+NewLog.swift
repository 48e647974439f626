public import Foundation
import PraxisProtocol

extension LogImport {
    /// Loads the export at `url` into a new SQLite log at `path` (verifying it first unless the
    /// caller just did). The log appears at `path` only once complete: it is built under a hidden
    /// name beside it, its write-ahead log copied into the file (closing alone leaves it beside),
    /// closed, synced and linked to `path`. An import interrupted at any point leaves no log that looks whole — at most the
    /// hidden files, which may be deleted. A file at `path` is never replaced: that is an
    /// `unavailable` error.
    @discardableResult
    public static func loadNewLog(
        from url: URL, at path: URL, alreadyVerified: Bool = false, progress: (LogPosition) -> Void = { _ in }
    ) async throws -> (events: Int64, heads: Int) {
        guard !FileManager.default.fileExists(atPath: path.path) else { throw exists(path) }
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        let target = NewFile(path)
        let companions = ["", "-wal", "-shm"]
        defer { target.removePartial(suffixes: companions) }
        let store = try SQLiteEventStore(path: target.partial.path)
        let totals: (events: Int64, heads: Int)
        do {
            totals = try await load(url, into: store, alreadyVerified: alreadyVerified, progress: progress)
            // The file alone is linked: what is still in its write-ahead log must be in it first.
            try await store.foldWriteAheadLog()
            try store.close()
        } catch {
            try? store.close()
            throw error
        }
        try target.publish(exists: exists(path))
        return totals
    }

    private static func exists(_ path: URL) -> StoreError {
        StoreError(.unavailable, "\(path.path) exists; a log is imported into a new file and never over one")
    }
}
