public import PraxisProtocol

/// A member dismissed a pinned announcement from their home feed.
public struct PinDismissed: DomainEvent {
    public static let type = "pin_dismissed"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
    public var post: PostID
}

/// A member marked their notifications read, up to a log position.
public struct NotificationsRead: DomainEvent {
    public static let type = "notifications_read"
    public static let schemaVersion: Int64 = 1
    public var member: MemberID
    public var upTo: Int64
}

/// Dismiss a pinned announcement from one's own home feed (it stays pinned for others).
public struct DismissPin: Command, Decodable {
    public var post: PostID

    public init(post: PostID) { self.post = post }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { input.threadStreams(post) }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        let (current, _, _) = try input.thread(post, for: me)
        guard current.isPinned else { throw Rejection(.invalidState, "the post is not pinned") }
        return [PendingEvent(me.id.stream, PinDismissed(member: me.id, post: post))]
    }
}

/// Mark one's notifications read up to a log position (a notification's `position`).
public struct MarkNotificationsRead: Command, Decodable {
    public var upTo: Int64

    public init(upTo: Int64) { self.upTo = upTo }

    public func streams(_ input: DecisionInput, actor: Actor) -> [StreamName] { [] }

    public func decide(_ input: DecisionInput, actor: Actor) throws(Rejection) -> [PendingEvent] {
        let me = try input.activeMember(actor)
        guard upTo >= 0 else { throw .invalidField("up_to", "must be a log position, 0 or more") }
        return [PendingEvent(me.id.stream, NotificationsRead(member: me.id, upTo: upTo))]
    }
}
