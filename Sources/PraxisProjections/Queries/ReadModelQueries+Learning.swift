import GRDB
public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

extension ReadModelQueries {
    /// A community's learning events in order of start, for those who may read its content; with
    /// `upcoming`, only those not yet ended at `now`. Each with its title, description, times,
    /// backchannel thread, whether it was cancelled, RSVP counts and the reader's own answer and
    /// attendance. Which events a community has comes from the insights read model; each event is
    /// folded from its own stream, so an RSVP shows at once.
    public func learningEvents<Store: EventStore>(
        in community: CommunityID, from store: Store, for reader: MemberID, upcoming: Bool, now: Timestamp,
        cursor: String?, limit: Int
    ) async throws -> Page {
        let after = try cursor.map { try Cursor.decode($0) }
        let (ids, position, hasMore) = try await readModels.read { db in
            let (roster, rosterPosition) = try Self.active(db, CommunityRoster())
            let (insights, insightsPosition) = try Self.active(db, Insights())
            _ = try ReadAccess.check(db, roster, reader: reader, community: community, content: true)
            // Ends are not in the insights table; an event lasts at most its longest duration.
            let earliestStart =
                upcoming ? now.millisecondsSinceEpoch - ScheduleLearningEvent.maximumDurationMilliseconds : Int64.min
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT event, start FROM \(insights("learning"))
                    WHERE community = :community AND start >= :earliest AND (start, event) > (:start, :event)
                    ORDER BY start, event LIMIT :limit
                    """,
                arguments: [
                    "community": community.description, "earliest": earliestStart,
                    "start": after?.number ?? Int64.min, "event": after?.text ?? "", "limit": limit + 1,
                ])
            return (
                rows.prefix(limit).map { (id: $0["event"] as String, start: $0["start"] as Int64) },
                min(rosterPosition, insightsPosition), rows.count > limit
            )
        }
        var items: [JSONValue] = []
        for (id, _) in ids {
            guard let event = LearningEventID(id) else { continue }
            let folded: LearningEventView? = try await Self.fold(event.stream, in: store) { view, event, _ in
                LearningEventView.evolve(view, event)
            }
            guard let view = folded, !upcoming || now < view.state.end else { continue }
            items.append(view.json(for: reader))
        }
        let next = hasMore ? ids.last.map { Cursor(number: $0.start, text: $0.id).encoded } : nil
        return Page(items: items, nextCursor: next, position: position)
    }
}

/// A learning event as a reader sees it: what was scheduled, and its state since.
struct LearningEventView {
    let scheduled: LearningEventScheduled
    var state: LearningEventState

    static func evolve(_ view: LearningEventView?, _ event: any DomainEvent) -> LearningEventView? {
        if let scheduled = event as? LearningEventScheduled, let state = LearningEventState.evolve(nil, scheduled) {
            return LearningEventView(scheduled: scheduled, state: state)
        }
        guard var view, let state = LearningEventState.evolve(view.state, event) else { return view }
        view.state = state
        return view
    }

    func json(for reader: MemberID) -> JSONValue {
        var counts: [String: JSONValue] = [:]
        for response in RSVPResponse.allCases {
            counts[response.rawValue] = .number(Double(state.rsvps.values.count { $0 == response }))
        }
        var fields: [String: JSONValue] = [
            "learning_event": .string(state.id.description), "title": .string(scheduled.title),
            "description": .string(scheduled.description), "start": .string(state.start.rfc3339),
            "end": .string(state.end.rfc3339), "backchannel": .string(state.backchannel.description),
            "cancelled": .bool(state.isCancelled), "rsvps": .object(counts),
            "attended": .bool(state.attendees.contains(reader)),
        ]
        fields["my_rsvp"] = state.rsvps[reader].map { .string($0.rawValue) }
        return .object(fields)
    }
}
