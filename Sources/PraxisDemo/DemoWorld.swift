import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol

/// What the demo knows of its own organisation, to choose plausible next actions.
struct DemoWorld {
    struct Person {
        let id: MemberID
        let name: String
        let region: String
        var department: String
        let leadership: LeadershipLevel
        let organization: String?
        let arrivalDay: Int
        var communities: [Int] = []
        var active = true
        var isExternal: Bool { organization != nil }
    }

    struct Group {
        let id: CommunityID
        let name: String
        let kind: CommunityKind
        let visibility: CommunityVisibility
        let owner: Int
        var moderators: [Int] = []
        var members: [Int] = []
    }

    struct Thread {
        let id: PostID
        let community: Int
        let author: Int
        let kind: PostKind
        let day: Int
        var comments: [(id: CommentID, author: Int)] = []
        var accepted = false
        var deleted = false
    }

    struct Session {
        let id: LearningEventID
        let community: Int
        let start: Timestamp
        var going: [Int] = []
        var recorded = false
    }

    struct Link {
        let id: MentoringID
        let mentee: Int
        let mentor: Int
        let startDay: Int
        var active = false
        var ended = false
    }

    static let regions = ["EMEA", "AMER", "APAC", "LATAM"]
    static let departments = [
        "Engineering", "Sales", "Marketing", "Finance", "People & Learning", "Operations", "Product", "Legal", "Support",
        "Research",
    ]
    static let partners = ["Acme Corp", "Globex", "Initech", "Umbrella Health"]
    static let topics = [
        "swift", "cloud", "security", "pricing", "onboarding", "leadership", "data", "design", "compliance", "customer-success",
        "devops", "negotiation", "accessibility", "sustainability", "ai",
    ]
    static let firstNames = [
        "Ada", "Ben", "Chloé", "Dmitri", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mateo",
        "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë",
    ]
    static let lastNames = [
        "Abe", "Berg", "Costa", "Dubois", "Eze", "Fischer", "García", "Haddad", "Ivanova", "Jensen", "Kim", "Lopez",
        "Müller", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka", "Usman", "Virtanen", "Wong", "Yilmaz",
    ]

    var people: [Person] = []
    var groups: [Group] = []
    var threads: [Thread] = []
    var sessions: [Session] = []
    var links: [Link] = []
    /// Mentor index → capacity offered.
    var mentors: [Int: Int] = [:]

    func load(of mentor: Int) -> Int { links.filter { $0.mentor == mentor && $0.active && !$0.ended }.count }
}

extension Array {
    /// A random element chosen with `random`, or `nil` when empty.
    func pick(_ random: inout SplitMix64) -> Element? {
        isEmpty ? nil : self[Int(random.next() % UInt64(count))]
    }
}

extension SplitMix64 {
    /// `true` with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// A whole number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    /// A fresh UUID (version 7 at `time`).
    mutating func uuid(at time: Timestamp) -> UUID { UUID.version7(at: time, using: &self) }
}
