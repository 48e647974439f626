import Dispatch
package import GRDB

/// How Praxis reads its SQLite files: every read holds its connection only while a thread runs it.
///
/// GRDB's `async` read keeps its reader connection until the awaiting task resumes on a
/// cooperative thread. Mixed with reads that block a cooperative thread until a connection is
/// free, that can deadlock: every connection waiting for a thread, every thread waiting for a
/// connection. So a short read runs on the calling thread (``readHere(_:)``) and a long one on a
/// dispatch thread that runs it to the end (``readOnDispatchThread(_:)``); neither holds a
/// connection across a suspension, and a blocked read only ever waits for running ones.
extension DatabasePool {
    /// Reads in a transaction on the calling thread: for a page, a proof or a lookup. Handing
    /// such a read to another thread and resuming after it costs two thread switches, more than
    /// the read itself: under the feed load, switching threads fell from a fifth of the server's
    /// samples to a tenth when page reads stopped doing it.
    ///
    /// `isolated: false` reads without a transaction, each statement seeing the last commit on its
    /// own: for rows no write changes once committed (the log's events), where a transaction
    /// isolates nothing. Beginning and committing one was over a quarter of reading a pull page's rows.
    package func readHere<T>(isolated: Bool = true, _ body: (Database) throws -> T) throws -> T {
        isolated ? try read(body) : try unsafeRead(body)
    }

    /// Reads in a transaction on a dispatch thread, for a read that may take long (a rebuild's
    /// page of 10,000 events, counting the log, an insights report): it does not hold one of the
    /// few cooperative threads that run every request. `isolated` as for ``readHere(isolated:_:)``.
    package func readOnDispatchThread<T: Sendable>(
        isolated: Bool = true, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.readHere(isolated: isolated, body) })
            }
        }
    }
}
