/// The start of a body that feeds show: its first 280 characters.
func excerpt(_ body: String) -> String { String(body.prefix(280)) }

/// The read models Praxis builds.
public enum ProjectionCatalog {
    /// Every projection, in the order the engine applies them.
    public static var all: [any Projection] {
        [CommunityRoster(), CommunityFeed(), HomeFeed(), Notifications(), Search(), MentoringLinks(), Insights()]
    }
}
