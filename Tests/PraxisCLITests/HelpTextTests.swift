import Foundation
import Testing

/// Every command's `--help`, as an operator's 80-column terminal shows it.
@Suite("praxis --help")
struct HelpTextTests {
    @Test("help paragraphs are wrapped to the terminal, not broken where the source's lines end")
    func paragraphsFollowTheTerminal() throws {
        let commands = try Self.commands()
        #expect(commands.count > 40, "every command and subcommand: \(commands)")
        for command in commands {
            let help = try PraxisProcess.run(command + ["--help"], environment: ["COLUMNS": "80"])
            #expect(help.status == 0, "\(command)")
            let lines = help.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // The usage line is the parser's own and is not wrapped.
            #expect(
                lines.allSatisfy { $0.count <= 80 || $0.hasPrefix("USAGE: ") },
                "\(command): a line is wider than the terminal")
            // A line of prose that had room for the next line's first word (with a margin for how
            // the parser counts) was broken by hand in the source.
            for (line, next) in zip(lines, lines.dropFirst()) where Self.isProse(line) && Self.isProse(next) {
                let word = next.split(separator: " ").first ?? ""
                #expect(
                    line.count + 1 + word.count > 78 || line.hasSuffix(":"),
                    "\(command.joined(separator: " ")): \"\(line)\" is broken before \"\(word)\"")
            }
        }
    }

    /// A line of a paragraph: not blank, not indented (examples, options) and not a heading.
    static func isProse(_ line: String) -> Bool {
        guard let first = line.first, first != " " else { return false }
        return !["OVERVIEW:", "USAGE:", "OPTIONS:", "ARGUMENTS:", "SUBCOMMANDS:", "See '"].contains { line.hasPrefix($0) }
    }

    /// Every command and subcommand, as the argument lists that name them, from the help itself:
    /// the names listed under SUBCOMMANDS, up to the blank line after them.
    static func commands(under parent: [String] = []) throws -> [[String]] {
        let help = try PraxisProcess.run(parent + ["--help"], environment: ["COLUMNS": "200"])
        guard help.status == 0, let listed = help.standardOutput.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first
        else { return [] }
        var commands: [[String]] = []
        for line in listed.split(separator: "\n", omittingEmptySubsequences: false).prefix(while: { !$0.isEmpty }) {
            let name = String(line.dropFirst(2).prefix { $0 != " " })
            guard line.hasPrefix("  "), name.first?.isLetter == true, name != "help" else { continue }
            commands.append(parent + [name])
            commands += try Self.commands(under: parent + [name])
        }
        return commands
    }
}
