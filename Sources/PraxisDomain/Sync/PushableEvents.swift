public import PraxisProtocol

/// The event types a device may write offline and push, and the command each one stands for.
///
/// The server decides the command read from the pushed payload (plus the fixed fields below) and
/// accepts the event only when the decision is exactly that event: same stream, type and payload.
/// So a pushed event is never something the domain would not have written itself.
public enum PushableEvents {
    /// A pushable event type: the command it is decided as, with the fields the type implies.
    public struct Entry: Sendable {
        public let command: any (Command & Decodable).Type
        public let fixed: [String: JSONValue]
    }

    /// By event type.
    public static let entries: [String: Entry] = [
        PostCreated.type: Entry(command: CreatePost.self, fixed: [:]),
        PostEdited.type: Entry(command: EditPost.self, fixed: [:]),
        PostDeleted.type: Entry(command: DeletePost.self, fixed: [:]),
        CommentAdded.type: Entry(command: AddComment.self, fixed: [:]),
        CommentEdited.type: Entry(command: EditComment.self, fixed: [:]),
        CommentDeleted.type: Entry(command: DeleteComment.self, fixed: [:]),
        ReactionAdded.type: Entry(command: React.self, fixed: ["add": true]),
        ReactionRemoved.type: Entry(command: React.self, fixed: ["add": false]),
        AnswerAccepted.type: Entry(command: AcceptAnswer.self, fixed: [:]),
        MemberJoined.type: Entry(command: JoinCommunity.self, fixed: [:]),
        MemberLeft.type: Entry(command: LeaveCommunity.self, fixed: [:]),
        RSVPRecorded.type: Entry(command: RSVP.self, fixed: [:]),
        MemberFollowed.type: Entry(command: FollowMember.self, fixed: ["follow": true]),
        MemberUnfollowed.type: Entry(command: FollowMember.self, fixed: ["follow": false]),
        CommunityFollowed.type: Entry(command: FollowCommunity.self, fixed: ["follow": true]),
        CommunityUnfollowed.type: Entry(command: FollowCommunity.self, fixed: ["follow": false]),
    ]
}
