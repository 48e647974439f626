import GRDB
import PraxisProtocol

extension Database {
    /// Every row of `sql` as a JSON object (column name → value).
    func jsonRows(_ sql: String, _ arguments: StatementArguments = []) throws -> [JSONValue] {
        try Row.fetchAll(self, sql: sql, arguments: arguments).map(Self.json)
    }

    /// Hands each row of every query in `sqls` to `body` as a JSON object, without holding them all.
    func dumpRows(_ sqls: [String], into body: (JSONValue) -> Void) throws {
        for sql in sqls {
            let rows = try Row.fetchCursor(self, sql: sql)
            while let row = try rows.next() { body(Self.json(row)) }
        }
    }

    private static func json(_ row: Row) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (column, value) in row {
            switch value.storage {
            case .null: object[column] = .null
            case .int64(let number): object[column] = .number(Double(number))
            case .double(let number): object[column] = .number(number)
            case .string(let text): object[column] = .string(text)
            case .blob(let data): object[column] = .string(Base64URL.encode(data))
            }
        }
        return .object(object)
    }
}
