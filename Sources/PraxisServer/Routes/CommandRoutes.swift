import Hummingbird
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// One write endpoint: which command a method and path stand for. The same table registers the
/// routes and writes their part of `Protocol/openapi.yaml`, so the two cannot drift apart.
struct CommandRoute: Sendable {
    /// Who the command acts for.
    enum Caller: Sendable {
        /// The member the bearer token belongs to; the route is under `/v1`.
        case member
        /// The operator; the route is under `/v1/operator`.
        case `operator`
    }

    let method: HTTPRequest.Method
    /// Relative to `/v1` (members) or `/v1/operator` (operator).
    let path: String
    let command: any (Command & Decodable).Type
    let caller: Caller
    /// Fields naming things the command creates: the server picks a UUIDv7 when they are left out.
    var creates: [String] = []
    /// Fields the route itself sets.
    var fixed: [String: JSONValue] = [:]
    /// A field set to the caller's own member id.
    var selfField: String? = nil
    let summary: String

    /// The path as a client sees it.
    var fullPath: String { (caller == .member ? "/v1" : "/v1/operator") + path }

    /// The names of the path's `{parameters}`.
    var parameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

extension CommandRoute {
    private static func member(
        _ method: HTTPRequest.Method, _ path: String, _ command: any (Command & Decodable).Type, _ summary: String,
        creates: [String] = [], fixed: [String: JSONValue] = [:], selfField: String? = nil
    ) -> CommandRoute {
        CommandRoute(
            method: method, path: path, command: command, caller: .member, creates: creates, fixed: fixed,
            selfField: selfField, summary: summary)
    }

    private static func `operator`(
        _ method: HTTPRequest.Method, _ path: String, _ command: any (Command & Decodable).Type, _ summary: String,
        creates: [String] = [], fixed: [String: JSONValue] = [:]
    ) -> CommandRoute {
        CommandRoute(
            method: method, path: path, command: command, caller: .operator, creates: creates, fixed: fixed, summary: summary)
    }

    /// Every write endpoint.
    static let all: [CommandRoute] = [
        member(.patch, "/me", UpdateMemberProfile.self, "Change your own display name or title.", selfField: "member"),
        member(.delete, "/me/tokens/{token}", RevokeAccessToken.self, "Revoke one of your access tokens.", selfField: "member"),
        member(.post, "/me/notifications/read", MarkNotificationsRead.self, "Mark your notifications read up to a position."),
        member(.post, "/posts/{post}/dismiss", DismissPin.self, "Dismiss a pinned announcement from your home feed."),
        member(.post, "/members/{member}/follow", FollowMember.self, "Follow a member.", fixed: ["follow": true]),
        member(.post, "/members/{member}/unfollow", FollowMember.self, "Stop following a member.", fixed: ["follow": false]),

        member(.post, "/communities", CreateCommunity.self, "Create a community; you become its owner.", creates: ["community"]),
        member(.patch, "/communities/{community}", UpdateCommunity.self, "Owners: change name, description, visibility or tags."),
        member(
            .post, "/communities/{community}/archive", SetCommunityArchived.self, "Owners: archive the community.",
            fixed: ["archived": true]),
        member(
            .post, "/communities/{community}/unarchive", SetCommunityArchived.self, "Owners: bring an archived community back.",
            fixed: ["archived": false]),
        member(
            .post, "/communities/{community}/follow", FollowCommunity.self, "Follow a community you may see.",
            fixed: ["follow": true]),
        member(
            .post, "/communities/{community}/unfollow", FollowCommunity.self, "Stop following a community.",
            fixed: ["follow": false]),
        member(.post, "/communities/{community}/join", JoinCommunity.self, "Join an open community (origin voluntary)."),
        member(.post, "/communities/{community}/leave", LeaveCommunity.self, "Leave a community (not as its last owner)."),
        member(.post, "/communities/{community}/requests", RequestMembership.self, "Ask to join a closed community."),
        member(
            .post, "/communities/{community}/requests/{member}/approve", DecideMembershipRequest.self,
            "Owners and moderators: approve a request.", fixed: ["approve": true]),
        member(
            .post, "/communities/{community}/requests/{member}/decline", DecideMembershipRequest.self,
            "Owners and moderators: decline a request (the message is kept).", fixed: ["approve": false]),
        member(.post, "/communities/{community}/invitations", InviteMember.self, "Owners and moderators: invite a member."),
        member(
            .post, "/communities/{community}/invitation/accept", RespondToInvitation.self,
            "Accept your invitation (origin invited).", fixed: ["accept": true]),
        member(
            .post, "/communities/{community}/invitation/decline", RespondToInvitation.self, "Decline your invitation.",
            fixed: ["accept": false]),
        member(
            .post, "/communities/{community}/assignments", AssignMember.self,
            "Owners and moderators of a learning community: assign a learner."),
        member(
            .delete, "/communities/{community}/members/{member}", RemoveMember.self, "Owners and moderators: remove a member."),
        member(.put, "/communities/{community}/members/{member}/role", ChangeMemberRole.self, "Owners: change a member's role."),

        member(.post, "/communities/{community}/posts", CreatePost.self, "Post in a community.", creates: ["post"]),
        member(.patch, "/posts/{post}", EditPost.self, "The author: edit a post."),
        member(.delete, "/posts/{post}", DeletePost.self, "The author or a moderator: delete a post."),
        member(
            .post, "/posts/{post}/pin", SetPostPinned.self, "Owners and moderators: pin a post, optionally until a time.",
            fixed: ["pinned": true]),
        member(
            .post, "/posts/{post}/unpin", SetPostPinned.self, "Owners and moderators: unpin a post.", fixed: ["pinned": false]),
        member(
            .post, "/posts/{post}/comments", AddComment.self, "Comment, or reply to a top-level comment.", creates: ["comment"]),
        member(.patch, "/posts/{post}/comments/{comment}", EditComment.self, "The author: edit a comment."),
        member(.delete, "/posts/{post}/comments/{comment}", DeleteComment.self, "The author or a moderator: delete a comment."),
        member(.post, "/posts/{post}/reactions", React.self, "React to a post or one of its comments.", fixed: ["add": true]),
        member(.post, "/posts/{post}/reactions/remove", React.self, "Take a reaction back.", fixed: ["add": false]),
        member(.post, "/posts/{post}/answer", AcceptAnswer.self, "The asker or a moderator: accept a comment as the answer."),

        member(
            .post, "/communities/{community}/learning-events", ScheduleLearningEvent.self,
            "Owners and moderators: schedule a learning event (its backchannel thread opens with it).",
            creates: ["learning_event", "backchannel"]),
        member(
            .post, "/learning-events/{learning_event}/cancel", CancelLearningEvent.self,
            "Owners and moderators: cancel a learning event."),
        member(.post, "/learning-events/{learning_event}/rsvp", RSVP.self, "Answer going, maybe or declined."),
        member(
            .post, "/learning-events/{learning_event}/attendance", RecordAttendance.self,
            "Owners and moderators: record who attended."),

        member(.put, "/mentoring/offer", OfferMentoring.self, "Offer mentoring (or change your offer)."),
        member(.delete, "/mentoring/offer", WithdrawMentoringOffer.self, "Withdraw your mentoring offer."),
        member(
            .post, "/mentoring", RequestMentoring.self, "Ask a named mentor, or ask openly within a community.",
            creates: ["mentoring"]),
        member(
            .post, "/mentoring/{mentoring}/accept", RespondToMentoringRequest.self, "Mentors: accept a request.",
            fixed: ["accept": true]),
        member(
            .post, "/mentoring/{mentoring}/decline", RespondToMentoringRequest.self, "The named mentor: decline a request.",
            fixed: ["accept": false]),
        member(.post, "/mentoring/{mentoring}/sessions", LogMentoringSession.self, "Mentor or mentee: log a session."),
        member(.post, "/mentoring/{mentoring}/goals", SetMentoringGoal.self, "Mentor or mentee: record a goal."),
        member(
            .post, "/mentoring/{mentoring}/end", EndMentoring.self,
            "Mentor or mentee: end the link, or withdraw a pending request."),

        member(.post, "/devices", EnrollDevice.self, "Enroll a device's public key.", creates: ["device"]),
        member(.post, "/devices/{device}/revoke", RevokeDevice.self, "Revoke one of your devices."),

        `operator`(.post, "/members", RegisterMember.self, "Add a member.", creates: ["member"]),
        `operator`(.patch, "/members/{member}", UpdateMemberProfile.self, "Change a member's profile."),
        `operator`(.post, "/members/{member}/move", MoveMember.self, "Record a move to another region or department."),
        `operator`(.post, "/members/{member}/deactivate", SetMemberActive.self, "Deactivate a member.", fixed: ["active": false]),
        `operator`(.post, "/members/{member}/reactivate", SetMemberActive.self, "Reactivate a member.", fixed: ["active": true]),
        `operator`(.delete, "/members/{member}/tokens/{token}", RevokeAccessToken.self, "Revoke a member's access token."),
        `operator`(.post, "/devices", EnrollDevice.self, "Enroll a device for any member.", creates: ["device"]),
        `operator`(.post, "/devices/{device}/revoke", RevokeDevice.self, "Revoke any device."),
    ]
}
