import PraxisDomain
import PraxisProtocol
import PraxisStore

extension SyncService {
    /// How many events one pull page reads, at most, beyond the ones it returns (content deleted
    /// since is read and left out): a member who deleted much still gets bounded pages, each
    /// moving the cursor on.
    static var scanBudget: Int { 10_000 }

    /// The events `device`'s member may see since `cursor` (from the start when `nil`), in log
    /// order, with purge and backfill orders and the next cursor; signed by the server.
    /// `schemas` (type → newest version the client understands) asks for older forms of newer
    /// events: downcast where a downcaster exists, a typed placeholder otherwise (PROTOCOL.md §7).
    /// The answer is the page's RFC 8785 bytes, with its signature.
    public func pull(
        cursor text: String?, limit: Int?, schemas: [String: Int64] = [:], for device: AuthenticatedDevice
    ) async throws(SyncError) -> [UInt8] {
        let limit = min(max(limit ?? 100, 1), SyncProtocol.maximumPullLimit)
        let view = try await view()
        let readable = view.readableCommunities(of: device.member)
        var cursor = SyncCursor(position: .start, issuedAt: view.position, member: device.member, communities: readable)
        if let text {
            cursor = try SyncCursor(decoding: text, key: cursorKey, numbering: view.communityNumbers)
            guard cursor.member == device.member else {
                throw .badRequest("invalid_cursor", "the cursor was issued to another member")
            }
            guard cursor.position <= view.position else {
                throw .badRequest("invalid_cursor", "the cursor is ahead of this server's log")
            }
            if let horizon, view.position.value - cursor.issuedAt.value > horizon {
                throw SyncError(
                    .gone, "cursor_too_old",
                    "the log grew by more than \(horizon) events since the cursor was issued; bootstrap (PROTOCOL.md §6.4)")
            }
        }
        var purge: [JSONValue] = view.ids(of: cursor.communities.subtracting(readable)).map {
            ["kind": "community", "community": .string($0.description)]
        }
        let added = view.ids(of: readable.subtracting(cursor.communities))
        if !added.isEmpty {
            // The device lacks these communities' history up to the cursor: it backfills first,
            // and pulls on from the same position with the wider scope.
            let next = try issue(
                SyncCursor(position: cursor.position, issuedAt: view.position, member: device.member, communities: readable),
                view: view)
            return page(
                events: [], purge: purge,
                backfill: added.map {
                    ["community": .string($0.description), "through": .number(Double(cursor.position.value))]
                },
                next: next, hasMore: true, head: view.position)
        }
        let candidates = view.candidatePositions(after: cursor.position, for: device.member, readable: readable)
        let found = try await scans.run { () async throws(SyncError) -> PageFill in
            try await fillPage(
                from: candidates, after: cursor.position.value, through: view.position.value, limit: limit,
                schemas: schemas, view: view, member: device.member, readable: readable)
        }
        purge += found.purge
        // Nothing more the member may see up to the head: the page reaches it.
        let scanned = found.reachedEnd ? view.position : LogPosition(found.last)
        let next = try issue(
            SyncCursor(position: scanned, issuedAt: view.position, member: device.member, communities: readable), view: view)
        return page(
            events: found.events, purge: purge, backfill: [], next: next, hasMore: scanned < view.position,
            head: view.position)
    }

    /// What one page found: the events the member may see, purge orders that go with them, the
    /// last position read, and whether no position the member may see is left up to the page's end.
    private struct PageFill {
        /// The events' page items, in canonical form.
        var events: [[UInt8]] = []
        var purge: [JSONValue] = []
        var last: Int64
        var reachedEnd = false
    }

    /// Reads the events at the `candidates` positions after `after` through `through` — the
    /// streams the member may see, so the rest of the log is not read — keeping the ones visible
    /// to the member, until the page is full, its byte budget spent or the scan budget used up.
    private func fillPage(
        from candidates: PositionMerge, after: Int64, through: Int64, limit: Int, schemas: [String: Int64],
        view: SyncView, member: MemberID, readable: CommunityBits
    ) async throws(SyncError) -> PageFill {
        var candidates = candidates
        var page = PageFill(last: after)
        var bytes = 0
        var read = 0
        while page.events.count < limit && read < Self.scanBudget {
            let positions = candidates.next(min(limit - page.events.count, Self.scanBudget - read), through: through)
            guard let lastPosition = positions.last else { break }
            do {
                let batch = try await store.storedEvents(positions: positions.map { LogPosition($0) })
                read += positions.count
                for stored in batch {
                    var event = PageEvent(stored)
                    let visible = try view.isVisible(
                        stream: try stored.streamName(), type: stored.type, to: member, readable: readable
                    ) { () throws(StoreError) -> CommentID? in
                        try event.record().envelope.payload["comment"]?.stringValue.flatMap(CommentID.init)
                    }
                    guard visible else { continue }
                    let item = try Self.item(&event, schemas: schemas)
                    if !page.events.isEmpty && bytes + item.count > SyncProtocol.maximumPullBytes { return page }
                    page.events.append(item)
                    bytes += item.count
                    if SyncView.carriesPurgeOrder(type: stored.type), let order = view.purgeOrder(for: try event.record()) {
                        page.purge.append(order)
                    }
                    page.last = stored.position
                }
            } catch {
                throw SyncError(storeError: error)
            }
            // Deleted content read and left out still moves the page on.
            page.last = lastPosition
        }
        page.reachedEnd = candidates.first.map { $0 > through } ?? true
        return page
    }

    /// The history of one community up to `through`, after `after`, as the member may see it now:
    /// what a backfill order asks the device to fetch. The answer is the page's RFC 8785 bytes,
    /// with its signature.
    public func backfill(
        community text: String, through: Int64, after: Int64, limit: Int?, schemas: [String: Int64] = [:],
        for device: AuthenticatedDevice
    ) async throws(SyncError) -> [UInt8] {
        let limit = min(max(limit ?? 100, 1), SyncProtocol.maximumPullLimit)
        let view = try await view()
        guard let community = CommunityID(text), let number = view.communityNumbers.number(of: community),
            view.readableCommunities(of: device.member).contains(number)
        else {
            throw SyncError(
                .badRequest, "not_readable", "you may not read community \(text) (now); pull again for its purge order")
        }
        guard through <= view.position.value, after >= 0 else {
            throw .badRequest("invalid_parameter", "through must not pass the log's head and after must not be negative")
        }
        let readable = CommunityBits([number])
        let candidates = PositionMerge([view.communityPositions[number] ?? ChunkedPositions()], after: after)
        let page = try await scans.run { () async throws(SyncError) -> PageFill in
            try await fillPage(
                from: candidates, after: after, through: through, limit: limit, schemas: schemas, view: view,
                member: device.member, readable: readable)
        }
        var answer = EncodedObject([
            "protocol": .string(SyncProtocol.version), "community": .string(community.description),
            "through": .number(Double(through)), "next_after": .number(Double(page.last)),
            "has_more": .bool(!page.reachedEnd),
        ])
        answer.set("events", encoded: CanonicalJSON.array(encoded: page.events))
        return serverKey.sign(answer).bytes
    }

    /// One event of a pull page, in canonical form: where the log put it, and the event as its
    /// author signed it (its stored bytes, not decoded and encoded again) — or, for a client that
    /// does not understand its schema version, the event downcast beside its signed form, or a
    /// placeholder that names it without its content.
    static func item(_ event: inout PageEvent, schemas: [String: Int64] = [:]) throws(StoreError) -> [UInt8] {
        let stored = event.stored
        guard let understood = schemas[stored.type], understood < stored.schemaVersion else {
            return plainItem(stored, event: try stored.wireBytes())
        }
        var item = EncodedObject([
            "position": .number(Double(stored.position)), "stream_version": .number(Double(stored.streamVersion)),
            "server_time": .string(Timestamp(millisecondsSinceEpoch: stored.serverTime).rfc3339),
        ])
        let record = try event.record()
        let envelope = record.envelope
        if understood >= 1,
            let older = EventRegistry.downcast(
                envelope.payload, type: envelope.type.rawValue, from: envelope.schemaVersion, to: understood)
        {
            item.set("event", encoded: record.event.wireBytes)
            item.set("downcast", ["schema_version": .number(Double(understood)), "payload": .object(older)])
        } else {
            item.set(
                "placeholder",
                [
                    "id": .string(envelope.id.wireString), "stream": .string(envelope.stream.rawValue),
                    "type": .string(envelope.type.rawValue), "schema_version": .number(Double(envelope.schemaVersion)),
                    "hash": .string(record.event.hash.base64URL),
                ])
        }
        return item.bytes
    }

    /// The canonical bytes of a page item with its event as signed and nothing else, written
    /// directly: `{"event":…,"position":…,"server_time":"…","stream_version":…}` — the members
    /// in canonical order, integers as ECMAScript writes them (plain digits below 2^53), the time
    /// in ASCII that needs no escaping. Most items are this; building them as objects was a
    /// quarter of a pull's time.
    static func plainItem(_ stored: StoredEvent, event: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(event.count + 100)
        bytes.append(contentsOf: #"{"event":"#.utf8)
        bytes.append(contentsOf: event)
        bytes.append(contentsOf: #","position":"#.utf8)
        bytes.append(contentsOf: String(stored.position).utf8)
        bytes.append(contentsOf: #","server_time":""#.utf8)
        Timestamp(millisecondsSinceEpoch: stored.serverTime).appendRFC3339(to: &bytes)
        bytes.append(contentsOf: #"","stream_version":"#.utf8)
        bytes.append(contentsOf: String(stored.streamVersion).utf8)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// Reads a `schemas` query value, `post_created:1,comment_added:1`.
    public static func schemas(query: String?) throws(SyncError) -> [String: Int64] {
        guard let query, !query.isEmpty else { return [:] }
        var schemas: [String: Int64] = [:]
        for part in query.split(separator: ",") {
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, EventTypeName(String(pieces[0])) != nil, let version = Int64(pieces[1]), version >= 0 else {
                throw .badRequest("invalid_parameter", "schemas: give TYPE:VERSION pairs separated by commas")
            }
            schemas[String(pieces[0])] = version
        }
        return schemas
    }

    /// `cursor` as a page's `next_cursor`, its communities numbered as `view` numbers them.
    private func issue(_ cursor: SyncCursor, view: SyncView) throws(SyncError) -> String {
        guard let text = cursor.encoded(with: cursorKey, numbering: view.communityNumbers) else {
            throw SyncError(
                .tooLarge, "scope_too_large",
                "this member may read \(cursor.communities.count) communities, more than a pull cursor names in \(SyncCursor.maximumBytes) bytes (PROTOCOL.md §9)"
            )
        }
        return text
    }

    private func page(
        events: [[UInt8]], purge: [JSONValue], backfill: [JSONValue], next: String, hasMore: Bool, head: LogPosition
    ) -> [UInt8] {
        var page = EncodedObject([
            "protocol": .string(SyncProtocol.version), "purge": .array(purge), "backfill": .array(backfill),
            "next_cursor": .string(next), "has_more": .bool(hasMore),
            "head": .number(Double(head.value)),
        ])
        page.set("events", encoded: CanonicalJSON.array(encoded: events))
        return serverKey.sign(page).bytes
    }
}
