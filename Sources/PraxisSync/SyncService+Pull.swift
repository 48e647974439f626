import PraxisDomain
public import PraxisProtocol
import PraxisStore

extension SyncService {
    /// How many log events one pull page looks at, at most, beyond the ones it returns: a member
    /// who sees little of a long log still gets bounded pages, each moving the cursor on.
    static var scanBudget: Int { 10_000 }
    /// The most events one read of the log fetches while a page is filled.
    static var maximumReadSize: Int { 1000 }

    /// The events `device`'s member may see since `cursor` (from the start when `nil`), in log
    /// order, with purge and backfill orders and the next cursor; signed by the server.
    /// `schemas` (type → newest version the client understands) asks for older forms of newer
    /// events: downcast where a downcaster exists, a typed placeholder otherwise (PROTOCOL.md §7).
    public func pull(
        cursor text: String?, limit: Int?, schemas: [String: Int64] = [:], for device: AuthenticatedDevice
    ) async throws(SyncError) -> JSONValue {
        let limit = min(max(limit ?? 100, 1), SyncProtocol.maximumPullLimit)
        let view = try await view()
        let readable = view.readableCommunities(of: device.member)
        var cursor = SyncCursor(position: .start, issuedAt: view.position, member: device.member, communities: readable)
        if let text {
            cursor = try SyncCursor(decoding: text, key: serverKey)
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
        var purge: [JSONValue] = cursor.communities.subtracting(readable).sorted().map {
            ["kind": "community", "community": .string($0.description)]
        }
        let added = readable.subtracting(cursor.communities).sorted()
        if !added.isEmpty {
            // The device lacks these communities' history up to the cursor: it backfills first,
            // and pulls on from the same position with the wider scope.
            let next = SyncCursor(
                position: cursor.position, issuedAt: view.position, member: device.member, communities: readable)
            return page(
                events: [], purge: purge,
                backfill: added.map {
                    ["community": .string($0.description), "through": .number(Double(cursor.position.value))]
                },
                next: next, hasMore: true, head: view.position)
        }
        let scan = try await scans.run { () async throws(SyncError) -> PageScan in
            try await scanPage(
                from: cursor.position, limit: limit, schemas: schemas, view: view, member: device.member, readable: readable)
        }
        purge += scan.purge
        let next = SyncCursor(position: scan.scanned, issuedAt: view.position, member: device.member, communities: readable)
        return page(
            events: scan.events, purge: purge, backfill: [], next: next, hasMore: scan.scanned < view.position,
            head: view.position)
    }

    /// What one pull page found in the log: the events the member may see, purge orders that go
    /// with them, and how far the log was read.
    private struct PageScan {
        var events: [JSONValue] = []
        var purge: [JSONValue] = []
        var scanned: LogPosition
    }

    /// Reads the log after `start` until the page is full, its byte budget spent, the scan budget
    /// used up or the view's head reached.
    private func scanPage(
        from start: LogPosition, limit: Int, schemas: [String: Int64], view: SyncView, member: MemberID,
        readable: Set<CommunityID>
    ) async throws(SyncError) -> PageScan {
        var scan = PageScan(scanned: start)
        var bytes = 0
        // Read as many events as the page may take, then twice as many each time the member saw
        // too few of them: decoding what a page does not need was most of a pull's cost.
        var readSize = limit
        scan: while scan.scanned < view.position {
            let batch: [RecordedEvent]
            do {
                batch = try await store.read(
                    from: scan.scanned.next, limit: Int(min(Int64(readSize), view.position.value - scan.scanned.value)))
                readSize = min(Self.maximumReadSize, readSize * 2)
            } catch {
                throw SyncError(storeError: error)
            }
            guard !batch.isEmpty else { break }
            for record in batch {
                if record.position.value - start.value > Int64(Self.scanBudget) { break scan }
                if view.isVisible(record, to: member, readable: readable) {
                    let item = Self.item(record, schemas: schemas)
                    let size = CanonicalJSON.encode(item).count
                    if !scan.events.isEmpty && (scan.events.count == limit || bytes + size > SyncProtocol.maximumPullBytes) {
                        break scan
                    }
                    scan.events.append(item)
                    bytes += size
                    if let order = view.purgeOrder(for: record) { scan.purge.append(order) }
                }
                scan.scanned = record.position
            }
        }
        return scan
    }

    /// The history of one community up to `through`, after `after`, as the member may see it now:
    /// what a backfill order asks the device to fetch.
    public func backfill(
        community text: String, through: Int64, after: Int64, limit: Int?, schemas: [String: Int64] = [:],
        for device: AuthenticatedDevice
    ) async throws(SyncError) -> JSONValue {
        let limit = min(max(limit ?? 100, 1), SyncProtocol.maximumPullLimit)
        let view = try await view()
        guard let community = CommunityID(text), view.readableCommunities(of: device.member).contains(community) else {
            throw SyncError(
                .badRequest, "not_readable", "you may not read community \(text) (now); pull again for its purge order")
        }
        guard through <= view.position.value, after >= 0 else {
            throw .badRequest("invalid_parameter", "through must not pass the log's head and after must not be negative")
        }
        let readable: Set<CommunityID> = [community]
        let positions = view.communityPositions[community]?.positions(after: after, through: through) ?? []
        let (events, last) = try await scans.run { () async throws(SyncError) -> ([JSONValue], Int64) in
            try await backfillPage(
                positions: positions, after: after, limit: limit, schemas: schemas, view: view, member: device.member,
                readable: readable)
        }
        return serverKey.sign([
            "protocol": .string(SyncProtocol.version), "community": .string(community.description),
            "through": .number(Double(through)), "events": .array(events), "next_after": .number(Double(last)),
            "has_more": .bool(positions.last.map { $0 > last } ?? false),
        ])
    }

    /// The events at `positions` the member may see, up to a page; and the last position read.
    private func backfillPage(
        positions: [Int64], after: Int64, limit: Int, schemas: [String: Int64], view: SyncView, member: MemberID,
        readable: Set<CommunityID>
    ) async throws(SyncError) -> ([JSONValue], Int64) {
        var events: [JSONValue] = []
        var bytes = 0
        var last = after
        for position in positions {
            let record: RecordedEvent
            do {
                guard let found = try await store.read(from: LogPosition(position), limit: 1).first else { break }
                record = found
            } catch {
                throw SyncError(storeError: error)
            }
            if view.isVisible(record, to: member, readable: readable) {
                let item = Self.item(record, schemas: schemas)
                let size = CanonicalJSON.encode(item).count
                if !events.isEmpty && (events.count == limit || bytes + size > SyncProtocol.maximumPullBytes) { break }
                events.append(item)
                bytes += size
            }
            last = position
        }
        return (events, last)
    }

    /// One event of a pull page: where the log put it, and the event as its author signed it —
    /// or, for a client that does not understand its schema version, the event downcast beside
    /// its signed form, or a placeholder that names it without its content.
    static func item(_ record: RecordedEvent, schemas: [String: Int64] = [:]) -> JSONValue {
        var item: [String: JSONValue] = [
            "position": .number(Double(record.position.value)), "stream_version": .number(Double(record.streamVersion)),
            "server_time": .string(record.serverTime.rfc3339),
        ]
        let envelope = record.envelope
        guard let understood = schemas[envelope.type.rawValue], understood < envelope.schemaVersion else {
            item["event"] = record.event.json
            return .object(item)
        }
        if understood >= 1,
            let older = EventRegistry.downcast(
                envelope.payload, type: envelope.type.rawValue, from: envelope.schemaVersion, to: understood)
        {
            item["event"] = record.event.json
            item["downcast"] = ["schema_version": .number(Double(understood)), "payload": .object(older)]
        } else {
            item["placeholder"] = [
                "id": .string(envelope.id.wireString), "stream": .string(envelope.stream.rawValue),
                "type": .string(envelope.type.rawValue), "schema_version": .number(Double(envelope.schemaVersion)),
                "hash": .string(record.event.hash.base64URL),
            ]
        }
        return .object(item)
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

    private func page(
        events: [JSONValue], purge: [JSONValue], backfill: [JSONValue], next: SyncCursor, hasMore: Bool, head: LogPosition
    ) -> JSONValue {
        serverKey.sign([
            "protocol": .string(SyncProtocol.version), "events": .array(events), "purge": .array(purge),
            "backfill": .array(backfill), "next_cursor": .string(next.encoded(with: serverKey)),
            "has_more": .bool(hasMore), "head": .number(Double(head.value)),
        ])
    }
}
