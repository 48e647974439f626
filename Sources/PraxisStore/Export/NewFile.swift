import Foundation

/// A file that appears under its name only when complete. It is written under a hidden name
/// beside it (`.NAME.partial-<uuid>`), synced, then linked to the name with `link(2)`, which fails
/// when the name exists where `rename(2)` would replace it. An interrupted writer leaves at most
/// the hidden file, never a half-written one under the name.
struct NewFile {
    /// The name the file appears under.
    let url: URL
    /// Where it is written meanwhile.
    let partial: URL

    init(_ url: URL) {
        self.url = url
        self.partial = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(UUID().uuidString.lowercased())")
    }

    /// Syncs the hidden file and links it to the name; `exists` is thrown when the name is taken.
    func publish(exists: @autoclosure () -> StoreError) throws(StoreError) {
        do {
            let handle = try FileHandle(forWritingTo: partial)
            defer { try? handle.close() }
            try handle.synchronize()
        } catch {
            throw StoreError(.unavailable, "cannot sync \(partial.path): \(error.localizedDescription)")
        }
        guard link(partial.path, url.path) == 0 else {
            let failure = errno
            guard failure != EEXIST else { throw exists() }
            throw StoreError(.unavailable, "cannot create \(url.path): \(String(cString: strerror(failure)))")
        }
    }

    /// Removes the hidden file (and its companions with these suffixes, such as SQLite's `-wal`);
    /// once published, the name keeps the file.
    func removePartial(suffixes: [String] = [""]) {
        for suffix in suffixes { try? FileManager.default.removeItem(atPath: partial.path + suffix) }
    }
}
