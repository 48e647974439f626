import Foundation

/// Where a PostgreSQL log lives: `postgres://user[:password]@host[:port]/database`.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// Reads a `postgres://` or `postgresql://` URL; `nil` when it is not one, lacks a user, host
    /// or database, or names a port beyond 1–65535.
    public init?(url text: String) {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else { return nil }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/"), (1...65535).contains(components.port ?? 5432) else { return nil }
        self.init(
            host: host, port: components.port ?? 5432, user: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding, database: database)
    }

    /// The URL, without the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
