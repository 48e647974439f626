import Foundation
import Testing

/// Loads the language-neutral test vectors in `Protocol/vectors/`.
enum Vectors {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/vectors")

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }

    struct Canonicalization: Decodable {
        struct Case: Decodable, CustomTestStringConvertible {
            let name: String
            let input: String
            let canonical: String
            var testDescription: String { name }
        }
        struct Number: Decodable {
            let bits: String
            let canonical: String
        }
        struct Rejection: Decodable, CustomTestStringConvertible {
            let name: String
            let input: String?
            let input_hex: String?
            let error: String
            var testDescription: String { name }
            var bytes: [UInt8] {
                if let input { return Array(input.utf8) }
                let hex = Array((input_hex ?? "").utf8)
                return stride(from: 0, to: hex.count, by: 2).compactMap {
                    UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)
                }
            }
        }
        let cases: [Case]
        let numbers: [Number]
        let rejections: [Rejection]
    }

    static let canonicalization: Canonicalization = {
        do { return try load("canonicalization.json", as: Canonicalization.self) } catch {
            fatalError("Protocol/vectors/canonicalization.json is unreadable: \(error)")
        }
    }()
}
