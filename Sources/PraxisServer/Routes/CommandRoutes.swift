import Hummingbird
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// Every write endpoint, one line per command (`Protocol/openapi.yaml` documents each).
enum CommandRoutes {
    /// Endpoints for authenticated members, under `/v1`.
    static func registerMemberRoutes<Store>(_ endpoint: CommandEndpoint<Store>, on v1: RouterGroup<PraxisRequestContext>) {
        func add<C: Command & Decodable>(
            _ type: C.Type, _ method: HTTPRequest.Method, _ path: String, creates: [String] = [],
            fixed: [String: JSONValue] = [:], selfField: String? = nil
        ) {
            endpoint.register(
                type, method, path, on: v1, as: .member, creates: creates, fixed: fixed,
                selfField: selfField)
        }
        add(UpdateMemberProfile.self, .patch, "/me", selfField: "member")
        add(RevokeAccessToken.self, .delete, "/me/tokens/{token}", selfField: "member")
        add(FollowMember.self, .post, "/members/{member}/follow", fixed: ["follow": true])
        add(FollowMember.self, .post, "/members/{member}/unfollow", fixed: ["follow": false])

        add(CreateCommunity.self, .post, "/communities", creates: ["community"])
        add(UpdateCommunity.self, .patch, "/communities/{community}")
        add(SetCommunityArchived.self, .post, "/communities/{community}/archive", fixed: ["archived": true])
        add(SetCommunityArchived.self, .post, "/communities/{community}/unarchive", fixed: ["archived": false])
        add(FollowCommunity.self, .post, "/communities/{community}/follow", fixed: ["follow": true])
        add(FollowCommunity.self, .post, "/communities/{community}/unfollow", fixed: ["follow": false])
        add(JoinCommunity.self, .post, "/communities/{community}/join")
        add(LeaveCommunity.self, .post, "/communities/{community}/leave")
        add(RequestMembership.self, .post, "/communities/{community}/requests")
        add(DecideMembershipRequest.self, .post, "/communities/{community}/requests/{member}/approve", fixed: ["approve": true])
        add(DecideMembershipRequest.self, .post, "/communities/{community}/requests/{member}/decline", fixed: ["approve": false])
        add(InviteMember.self, .post, "/communities/{community}/invitations")
        add(RespondToInvitation.self, .post, "/communities/{community}/invitation/accept", fixed: ["accept": true])
        add(RespondToInvitation.self, .post, "/communities/{community}/invitation/decline", fixed: ["accept": false])
        add(AssignMember.self, .post, "/communities/{community}/assignments")
        add(RemoveMember.self, .delete, "/communities/{community}/members/{member}")
        add(ChangeMemberRole.self, .put, "/communities/{community}/members/{member}/role")

        add(CreatePost.self, .post, "/communities/{community}/posts", creates: ["post"])
        add(EditPost.self, .patch, "/posts/{post}")
        add(DeletePost.self, .delete, "/posts/{post}")
        add(SetPostPinned.self, .post, "/posts/{post}/pin", fixed: ["pinned": true])
        add(SetPostPinned.self, .post, "/posts/{post}/unpin", fixed: ["pinned": false])
        add(AddComment.self, .post, "/posts/{post}/comments", creates: ["comment"])
        add(EditComment.self, .patch, "/posts/{post}/comments/{comment}")
        add(DeleteComment.self, .delete, "/posts/{post}/comments/{comment}")
        add(React.self, .post, "/posts/{post}/reactions", fixed: ["add": true])
        add(React.self, .post, "/posts/{post}/reactions/remove", fixed: ["add": false])
        add(AcceptAnswer.self, .post, "/posts/{post}/answer")

        add(
            ScheduleLearningEvent.self, .post, "/communities/{community}/learning-events",
            creates: ["learning_event", "backchannel"])
        add(CancelLearningEvent.self, .post, "/learning-events/{learning_event}/cancel")
        add(RSVP.self, .post, "/learning-events/{learning_event}/rsvp")
        add(RecordAttendance.self, .post, "/learning-events/{learning_event}/attendance")

        add(OfferMentoring.self, .put, "/mentoring/offer")
        add(WithdrawMentoringOffer.self, .delete, "/mentoring/offer")
        add(RequestMentoring.self, .post, "/mentoring", creates: ["mentoring"])
        add(RespondToMentoringRequest.self, .post, "/mentoring/{mentoring}/accept", fixed: ["accept": true])
        add(RespondToMentoringRequest.self, .post, "/mentoring/{mentoring}/decline", fixed: ["accept": false])
        add(LogMentoringSession.self, .post, "/mentoring/{mentoring}/sessions")
        add(SetMentoringGoal.self, .post, "/mentoring/{mentoring}/goals")
        add(EndMentoring.self, .post, "/mentoring/{mentoring}/end")

        add(EnrollDevice.self, .post, "/devices", creates: ["device"])
        add(RevokeDevice.self, .post, "/devices/{device}/revoke")
    }

    /// Endpoints for the operator, under `/v1/operator`.
    static func registerOperatorRoutes<Store>(_ endpoint: CommandEndpoint<Store>, on group: RouterGroup<PraxisRequestContext>) {
        func add<C: Command & Decodable>(
            _ type: C.Type, _ method: HTTPRequest.Method, _ path: String, creates: [String] = [],
            fixed: [String: JSONValue] = [:]
        ) {
            endpoint.register(type, method, path, on: group, as: .operator, creates: creates, fixed: fixed)
        }
        add(RegisterMember.self, .post, "/members", creates: ["member"])
        add(UpdateMemberProfile.self, .patch, "/members/{member}")
        add(MoveMember.self, .post, "/members/{member}/move")
        add(SetMemberActive.self, .post, "/members/{member}/deactivate", fixed: ["active": false])
        add(SetMemberActive.self, .post, "/members/{member}/reactivate", fixed: ["active": true])
        add(RevokeAccessToken.self, .delete, "/members/{member}/tokens/{token}")
        add(EnrollDevice.self, .post, "/devices", creates: ["device"])
        add(RevokeDevice.self, .post, "/devices/{device}/revoke")
    }
}
