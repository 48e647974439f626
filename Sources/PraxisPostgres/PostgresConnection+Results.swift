import Logging
import PostgresNIO
import Synchronization

/// The connection closed before PostgreSQL answered; what the statement did is unknown.
struct PostgresConnectionLost: Error {}

extension PostgresConnection {
    /// Runs `query` and reads its whole result, or fails with ``PostgresConnectionLost`` when the
    /// connection closes first.
    ///
    /// postgres-nio 1.33 drops a query written to a connection whose channel has just closed (the
    /// server ended it: a restart, `pg_terminate_backend`) and never answers it; its caller would
    /// wait forever while holding a pooled connection. So the query runs in a task of its own and a
    /// watch polls the connection while it waits: whichever ends first answers, and the watch stops
    /// either way. A query lost that way leaves its task suspended for good — a few hundred bytes
    /// per lost connection.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        if isClosed { throw PostgresConnectionLost() }
        return try await firstAnswer { answer in
            let watch = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(50))
                    if self.isClosed {
                        answer.give(.failure(PostgresConnectionLost()))
                        return
                    }
                }
            }
            Task {
                do {
                    var rows: [PostgresRow] = []
                    for try await row in try await self.query(query, logger: logger) { rows.append(row) }
                    answer.give(.success(rows))
                } catch {
                    answer.give(.failure(error))
                }
                watch.cancel()
            }
        }
    }

    /// Runs a statement whose rows nobody needs, reading its result to the end.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await rows(query, logger: logger)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. A
    /// failure of the `COMMIT` itself leaves the outcome unknown (callers retry idempotently).
    func transaction<T: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await execute("BEGIN", logger: logger)
        let value: T
        do {
            value = try await body(self)
        } catch {
            // On a lost connection the server has rolled back already.
            try? await execute("ROLLBACK", logger: logger)
            throw error
        }
        try await execute("COMMIT", logger: logger)
        return value
    }
}

extension PostgresClient {
    /// Runs `query` on a pooled connection and reads its whole result (see `PostgresConnection.rows`).
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await withConnection { connection in try await connection.rows(query, logger: logger) }
    }
}

/// One answer to a waiting caller, given by whichever of several racing tasks comes first; later
/// answers are dropped.
final class FirstAnswer<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func give(_ result: Result<Value, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
    }
}

/// Suspends until one of the tasks `start` launches gives an answer.
func firstAnswer<Value: Sendable>(_ start: (FirstAnswer<Value>) -> Void) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in start(FirstAnswer(continuation)) }
}
