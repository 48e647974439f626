import ArgumentParser
import PraxisProtocol

/// Parsers for option values, so that a bad value is reported while the arguments are parsed,
/// with the usage of the command at hand, rather than from `run()`, which shows the root's.
enum OptionValue {
    /// One of `T`'s wire names; the parser reports another as "The value 'x' is invalid for
    /// '--kind <kind>': must be practice, learning or external".
    static func oneOf<T: WireEnum>(_ text: String) throws -> T {
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            throw ValidationError("must be \(names.dropLast().joined(separator: ", ")) or \(names.last ?? "")")
        }
        return value
    }
}
