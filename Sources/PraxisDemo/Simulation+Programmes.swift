import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

extension Simulation {
    /// Weekly learning events in every learning community: scheduled three days ahead, RSVPs,
    /// backchannel talk, attendance the day after, slides left behind.
    func learning(on day: Int) async throws(DemoOrganisation<Store>.Failure) {
        for group in world.groups.indices
        where world.groups[group].kind == .learning && day % 7 == group % 7 && world.people[world.groups[group].owner].active {
            let community = world.groups[group]
            let id = LearningEventID(newID())
            let backchannel = PostID(newID())
            let start = time(day: day + 3, hour: 14)
            let end = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + 90 * 60_000)
            let topic = DemoWorld.topics.pick(&random)!
            let scheduled = try await act(
                ScheduleLearningEvent(
                    learningEvent: id, community: community.id, title: "Session: \(topic)", description: "Hands-on \(topic).",
                    start: start, end: end, backchannel: backchannel), by: community.owner)
            guard scheduled else { continue }
            var session = DemoWorld.Session(id: id, community: group, start: start)
            for member in community.members where member != community.owner && world.people[member].active && random.chance(0.25)
            {
                let roll = random.int(0...9)
                let response: RSVPResponse = roll < 6 ? .going : roll < 9 ? .maybe : .declined
                if try await act(RSVP(learningEvent: id, response: response), by: member), response == .going {
                    session.going.append(member)
                }
            }
            if let talker = session.going.pick(&random) {
                try await act(
                    AddComment(post: backchannel, comment: CommentID(newID()), body: "Looking forward to it!"), by: talker)
            }
            world.sessions.append(session)
        }
        for index in world.sessions.indices where !world.sessions[index].recorded && world.sessions[index].start < clock.now {
            let session = world.sessions[index]
            let community = world.groups[session.community]
            let attendees = session.going.filter { _ in random.chance(0.75) }.map { world.people[$0].id }
            world.sessions[index].recorded = true
            guard !attendees.isEmpty else { continue }
            try await act(RecordAttendance(learningEvent: session.id, attendees: attendees), by: community.owner)
            try await act(
                CreatePost(
                    post: PostID(newID()), community: community.id, kind: .resource, title: "Slides from the session",
                    link: "https://intranet.example.com/slides/\(session.id)", learningEvent: session.id), by: community.owner)
        }
    }

    /// Mentors answer requests, links get goals and sessions, and end after two or three months.
    func mentoring(on day: Int) async throws(DemoOrganisation<Store>.Failure) {
        for index in world.links.indices where !world.links[index].ended {
            let link = world.links[index]
            guard world.people[link.mentee].active && world.people[link.mentor].active else { continue }
            if !link.active {
                guard day > link.startDay else { continue }
                let hasRoom = world.load(of: link.mentor) < world.mentors[link.mentor, default: 0]
                let accepted = try await act(RespondToMentoringRequest(mentoring: link.id, accept: hasRoom), by: link.mentor)
                if accepted && hasRoom {
                    world.links[index].active = true
                    try await act(SetMentoringGoal(mentoring: link.id, goal: "Ship a first piece of work"), by: link.mentee)
                } else {
                    world.links[index].ended = true
                }
                continue
            }
            if random.chance(1.0 / 7) {
                try await act(
                    LogMentoringSession(mentoring: link.id, date: clock.now, durationMinutes: random.int(30...60)),
                    by: link.mentor)
            }
            if day - link.startDay > 60 && random.chance(0.05) {
                let outcome: MentoringOutcome = random.chance(0.8) ? .completed : .discontinued
                if try await act(EndMentoring(mentoring: link.id, outcome: outcome), by: link.mentee) {
                    world.links[index].ended = true
                }
            }
        }
    }

    /// The rarer things: moves, follows, leaving, editing, deleting, deactivation.
    func occasional(on day: Int) async throws(DemoOrganisation<Store>.Failure) {
        let present = world.people.indices.filter { world.people[$0].arrivalDay <= day && world.people[$0].active }
        for _ in 0..<howMany(0.0005, of: present.count) {
            guard let person = present.pick(&random), !world.people[person].isExternal else { continue }
            let department = DemoWorld.departments.pick(&random)!
            if try await act(
                MoveMember(member: world.people[person].id, region: world.people[person].region, department: department), by: nil)
            {
                world.people[person].department = department
            }
        }
        for _ in 0..<howMany(0.01, of: present.count) {
            guard let person = present.pick(&random), let group = world.people[person].communities.pick(&random),
                let other = world.groups[group].members.pick(&random), other != person
            else { continue }
            try await act(FollowMember(member: world.people[other].id), by: person)
        }
        for _ in 0..<howMany(0.003, of: present.count) {
            guard let person = present.pick(&random), let group = Array(world.groups.indices).pick(&random) else { continue }
            try await act(FollowCommunity(community: world.groups[group].id), by: person)
        }
        for _ in 0..<howMany(0.0005, of: present.count) {
            guard let person = present.pick(&random), let group = world.people[person].communities.pick(&random),
                world.groups[group].owner != person
            else { continue }
            if try await act(LeaveCommunity(community: world.groups[group].id), by: person) {
                world.groups[group].members.removeAll { $0 == person }
                world.groups[group].moderators.removeAll { $0 == person }
                world.people[person].communities.removeAll { $0 == group }
            }
        }
        let today = world.threads.indices.filter { world.threads[$0].day == day }
        for index in today where random.chance(0.03) {
            let thread = world.threads[index]
            try await act(EditPost(post: thread.id, body: "Updated: see the comments for what we learned."), by: thread.author)
        }
        for index in today where random.chance(0.005) {
            if try await act(DeletePost(post: world.threads[index].id), by: world.threads[index].author) {
                world.threads[index].deleted = true
            }
        }
        for _ in 0..<howMany(0.0002, of: present.count) {
            guard let person = present.pick(&random), world.groups.allSatisfy({ $0.owner != person }) else { continue }
            if try await act(SetMemberActive(member: world.people[person].id, active: false), by: nil) {
                world.people[person].active = false
            }
        }
    }
}
