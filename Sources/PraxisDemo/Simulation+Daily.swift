import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

extension Simulation {
    /// Newcomers arrive, join a community or two, and most ask for a mentor.
    func arrivals(on day: Int) async throws(DemoOrganisation<Store>.Failure) {
        for person in world.people.indices where world.people[person].arrivalDay == day && day > 0 {
            try await register(person)
            try await joinSome(person, count: random.int(1...2))
            guard !world.people[person].isExternal, random.chance(0.6) else { continue }
            let department = world.people[person].department
            let mentors = world.mentors.keys.sorted().filter {
                world.people[$0].active && world.load(of: $0) < world.mentors[$0, default: 0]
            }
            let preferred = mentors.filter { world.people[$0].department == department }
            let link = MentoringID(newID())
            if let mentor = preferred.pick(&random) ?? mentors.pick(&random), mentor != person {
                let asked = try await act(
                    RequestMentoring(
                        mentoring: link, mentor: world.people[mentor].id, topics: ["onboarding"],
                        message: "I just joined \(department)."),
                    by: person)
                if asked { world.links.append(DemoWorld.Link(id: link, mentee: person, mentor: mentor, startDay: day)) }
            } else if let group = world.people[person].communities.pick(&random) {
                let asked = try await act(
                    RequestMentoring(mentoring: link, community: world.groups[group].id, topics: ["onboarding"]), by: person)
                if asked, let mentor = world.groups[group].members.first(where: { world.mentors[$0] != nil && $0 != person }) {
                    world.links.append(DemoWorld.Link(id: link, mentee: person, mentor: mentor, startDay: day))
                }
            }
        }
    }

    /// Members post: questions, discussions, success stories, best practices, resources, announcements.
    func posting(on day: Int) async throws(DemoOrganisation<Store>.Failure) {
        let present = world.people.indices.filter {
            world.people[$0].arrivalDay <= day && world.people[$0].active && !world.people[$0].communities.isEmpty
        }
        for _ in 0..<howMany(0.012, of: present.count) {
            guard let author = present.pick(&random), let group = world.people[author].communities.pick(&random) else { continue }
            let community = world.groups[group]
            let topic = DemoWorld.topics.pick(&random)!
            let roll = random.int(0...99)
            var kind: PostKind =
                roll < 35
                ? .question
                : roll < 63
                    ? .discussion : roll < 71 ? .successStory : roll < 80 ? .bestPractice : roll < 88 ? .resource : .announcement
            if kind == .announcement && community.owner != author && !community.moderators.contains(author) { kind = .discussion }
            let earlier = world.threads.filter { $0.community == group && !$0.deleted && $0.day < day }.suffix(20)
            let mention = community.members.pick(&random).flatMap { $0 == author ? nil : world.people[$0].id }
            let (title, body, link) = text(kind, topic: topic, region: world.people[author].region, mention: mention)
            let cites = kind == .successStory ? Array(earlier.map(\.id).suffix(random.int(1...2))) : []
            let id = PostID(newID())
            if try await act(
                CreatePost(post: id, community: community.id, kind: kind, title: title, body: body, link: link, cites: cites),
                by: author)
            {
                world.threads.append(DemoWorld.Thread(id: id, community: group, author: author, kind: kind, day: day))
                if kind == .announcement && random.chance(0.5) {
                    let until = time(day: day + 14, hour: 0)
                    try await act(SetPostPinned(post: id, pinned: true, until: until), by: author)
                }
            }
        }
    }

    /// Questions get answers, often from other departments and regions; askers accept and thank.
    /// Discussions get comments and one-level replies.
    func answering(on day: Int) async throws(DemoOrganisation<Store>.Failure) {
        for index in world.threads.indices where !world.threads[index].deleted && day - world.threads[index].day <= 7 {
            let thread = world.threads[index]
            let members = world.groups[thread.community].members.filter { $0 != thread.author && world.people[$0].active }
            let chance = thread.kind == .question ? (thread.comments.isEmpty ? 0.45 : 0.15) : 0.2
            guard random.chance(chance) else { continue }
            let leaders = members.filter { world.people[$0].leadership == .senior || world.people[$0].leadership == .executive }
            let otherDepartment = members.filter { world.people[$0].department != world.people[thread.author].department }
            let roll = random.int(0...9)
            guard
                let responder = (roll == 0 ? leaders.pick(&random) : nil) ?? (roll < 5 ? otherDepartment.pick(&random) : nil)
                    ?? members.pick(&random)
            else { continue }
            let comment = CommentID(newID())
            let parent = thread.kind != .question && random.chance(0.3) ? thread.comments.first?.id : nil
            let body =
                thread.kind == .question
                ? "We solved this by \(DemoWorld.topics.pick(&random)!) reviews; happy to walk you through it."
                : "Good point — we see the same in \(world.people[responder].region)."
            if try await act(AddComment(post: thread.id, comment: comment, parent: parent, body: body), by: responder) {
                if parent == nil { world.threads[index].comments.append((comment, responder)) }
            }
            if thread.kind == .question, !world.threads[index].accepted, world.people[thread.author].active,
                let answer = world.threads[index].comments.first, random.chance(0.55)
            {
                if try await act(AcceptAnswer(post: thread.id, comment: answer.id), by: thread.author) {
                    world.threads[index].accepted = true
                    try await act(React(post: thread.id, comment: answer.id, reaction: .thanks), by: thread.author)
                }
            }
        }
    }

    /// Members react to recent posts: likes, thanks, insightful.
    func reacting(on day: Int) async throws(DemoOrganisation<Store>.Failure) {
        let recent = world.threads.indices.filter { !world.threads[$0].deleted && day - world.threads[$0].day <= 5 }
        for _ in 0..<howMany(0.02, of: world.people.count) {
            guard let index = recent.pick(&random) else { return }
            let thread = world.threads[index]
            guard let reactor = world.groups[thread.community].members.pick(&random), reactor != thread.author,
                world.people[reactor].active
            else { continue }
            let reaction: ReactionKind = random.chance(0.6) ? .like : random.chance(0.5) ? .thanks : .insightful
            let target = random.chance(0.3) ? thread.comments.pick(&random)?.id : nil
            try await act(React(post: thread.id, comment: target, reaction: reaction), by: reactor)
        }
    }

    func text(_ kind: PostKind, topic: String, region: String, mention: MemberID?) -> (String?, String, String?) {
        let thanks = mention.map { " Thanks @\($0) for the pointer." } ?? ""
        switch kind {
        case .question:
            return (
                "How do you handle \(topic) in \(region)?",
                "We are starting with \(topic) and would love to hear what worked for you. #\(topic)", nil
            )
        case .discussion: return (nil, "Thoughts on \(topic) after this week's work?\(thanks) #\(topic)", nil)
        case .successStory:
            return (
                "How \(topic) saved us two weeks",
                "A small change in how we approach \(topic) paid off in \(region).\(thanks) #\(topic) #success", nil
            )
        case .bestPractice: return ("Checklist: \(topic)", "1. Start small.\n2. Share early.\n3. Ask for review. #\(topic)", nil)
        case .resource: return ("Guide: \(topic)", "The guide we use. #\(topic)", "https://intranet.example.com/guides/\(topic)")
        case .announcement: return ("News about \(topic)", "We meet next month to plan \(topic). #\(topic)", nil)
        }
    }
}
