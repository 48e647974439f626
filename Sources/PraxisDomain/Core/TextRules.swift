import Foundation

/// The rules every piece of text in a command must follow, and the parsing of `@mentions` and
/// `#tags`.
public enum TextRules {
    /// Longest title.
    public static let maximumTitleLength = 200
    /// Longest body of a post or comment.
    public static let maximumBodyLength = 40_000
    /// Longest short field (names, regions, departments, tags, messages).
    public static let maximumShortLength = 200

    /// Checks a one-line text: trimmed non-empty when required, at most `maximumLength`
    /// characters, no control characters.
    public static func line(_ text: String, field: String, maximumLength: Int = maximumShortLength, required: Bool = true)
        throws(Rejection) -> String
    {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if required && trimmed.isEmpty { throw .invalidField(field, "must not be empty") }
        guard trimmed.count <= maximumLength else {
            throw .invalidField(field, "must be at most \(maximumLength) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: isControl) else {
            throw .invalidField(field, "must not contain control characters")
        }
        return trimmed
    }

    /// Checks a multi-line text: like ``line(_:field:maximumLength:required:)`` but line breaks
    /// and tabs are allowed.
    public static func body(_ text: String, field: String, maximumLength: Int = maximumBodyLength, required: Bool = true)
        throws(Rejection) -> String
    {
        if required && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalidField(field, "must not be empty")
        }
        guard text.count <= maximumLength else { throw .invalidField(field, "must be at most \(maximumLength) characters") }
        guard !text.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) else {
            throw .invalidField(field, "must not contain control characters other than line breaks and tabs")
        }
        return text
    }

    /// Checks an http(s) link.
    public static func link(_ text: String, field: String) throws(Rejection) -> String {
        let link = try line(text, field: field, maximumLength: 2000)
        guard let url = URL(string: link), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { throw .invalidField(field, "must be an http or https link") }
        return link
    }

    /// Checks a list of topic tags: each 1–50 characters of letters, digits, `-` and `_`; at most 20;
    /// returned lowercased, without duplicates, in the given order.
    public static func tags(_ tags: [String], field: String) throws(Rejection) -> [String] {
        guard tags.count <= 20 else { throw .invalidField(field, "must have at most 20 tags") }
        var seen: [String] = []
        for tag in tags {
            let lowered = tag.lowercased()
            guard (1...50).contains(lowered.count), lowered.allSatisfy(isTagCharacter) else {
                throw .invalidField(field, "tags are 1–50 letters, digits, '-' or '_'")
            }
            if !seen.contains(lowered) { seen.append(lowered) }
        }
        return seen
    }

    /// The members mentioned in `text` as `@<member uuid>`, in order of first mention.
    public static func mentions(in text: String) -> [MemberID] {
        var found: [MemberID] = []
        var rest = Substring(text)
        while let at = rest.firstIndex(of: "@") {
            let candidate = rest[rest.index(after: at)...].prefix(36)
            if let id = MemberID(String(candidate)), !found.contains(id) { found.append(id) }
            rest = rest[rest.index(after: at)...]
        }
        return found
    }

    /// The `#tags` in `text`, lowercased, in order of first use.
    public static func hashtags(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let hash = rest.firstIndex(of: "#") {
            let word = rest[rest.index(after: hash)...].prefix(while: isTagCharacter).prefix(50).lowercased()
            let startsWord = hash == rest.startIndex || !(rest[rest.index(before: hash)].isLetter)
            if startsWord, !word.isEmpty, !found.contains(word) { found.append(word) }
            rest = rest[rest.index(after: hash)...]
        }
        return found
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    private static func isTagCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "-" || character == "_"
    }
}

extension TextRules {
    /// Checks an e-mail address: one `@`, a non-empty local part, a domain with a dot; lowercased.
    public static func email(_ text: String, field: String) throws(Rejection) -> String {
        let email = try line(text, field: field, maximumLength: 254).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !email.contains(" ")
        else { throw .invalidField(field, "must be an e-mail address") }
        return email
    }
}
