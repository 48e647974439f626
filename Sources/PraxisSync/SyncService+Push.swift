import Foundation
import PraxisCommands
import PraxisDomain
public import PraxisProtocol
import PraxisStore

extension SyncService {
    /// Takes a device's push batch (the body bytes, RFC 8785 canonical) and answers each event
    /// `accepted` (with the server's receipt), `rejected` (code and message) or `duplicate`.
    /// A batch answered before gets the same answers again and writes nothing.
    public func push(body: [UInt8], from device: AuthenticatedDevice) async throws(SyncError) -> JSONValue {
        guard body.count <= SyncProtocol.maximumBatchBytes else {
            throw SyncError(.tooLarge, "batch_too_large", "a push body may have at most \(SyncProtocol.maximumBatchBytes) bytes")
        }
        let batch: PushBatch
        do {
            batch = try PushBatch(json: try Self.parse(body, canonical: true))
        } catch let error as SyncError {
            throw error
        } catch let error as EnvelopeError {
            throw SyncError(.badRequest, error.code.description, error.field.map { "\($0): \(error.message)" } ?? error.message)
        } catch {
            throw .badRequest("invalid_json", "the body is not a push batch")
        }
        guard batch.protocolVersion == SyncProtocol.version else {
            throw SyncError(
                .badRequest, "version_not_supported", "this server speaks \(SyncProtocol.version)",
                details: ["supported": .array(SyncProtocol.supportedVersions.map { .string($0) })])
        }
        guard batch.device == device.device.description else {
            throw .badRequest(
                "device_mismatch", "the batch names device \(batch.device), the request is signed by \(device.device)")
        }
        guard batch.events.count <= SyncProtocol.maximumEventsPerBatch else {
            throw SyncError(
                .tooLarge, "batch_too_large", "a batch may carry at most \(SyncProtocol.maximumEventsPerBatch) events")
        }
        try Self.checkAuthorship(batch, device: device)
        let eventsHash = Base64URL.encode(
            EventHash(hashing: CanonicalJSON.encode(.array(batch.events.map { .string($0.hash.base64URL) }))).bytes)
        for _ in 1...8 {
            // The device stream's version is read before looking for the batch's record, and the
            // record is appended on condition of it: a copy of this batch answered in between (a
            // resend racing the original) then makes the append fail, and the next turn finds its
            // record, instead of deciding the batch a second time against its own effects.
            let version: Int64
            do { version = try await store.version(of: device.device.stream) } catch { throw SyncError(storeError: error) }
            if let answer = try await answerRecorded(batch, eventsHash: eventsHash, device: device, upTo: version) {
                return answer
            }
            do {
                return try await decide(batch, eventsHash: eventsHash, device: device, recordAfter: version)
            } catch let error where ["wrong_expected_version", "partial_duplicate", "id_conflict"].contains(error.code) {
                continue  // another request or node wrote meanwhile: look again whether this batch was answered
            }
        }
        throw SyncError(.unavailable, "contention", "the device's streams kept changing; resend the batch")
    }

    /// Every event must be signed by this device, name it and its member, and be canonical.
    private static func checkAuthorship(_ batch: PushBatch, device: AuthenticatedDevice) throws(SyncError) {
        var seen = Set<UUID>()
        for (index, event) in batch.events.enumerated() {
            let at = "events.\(index)"
            guard seen.insert(event.envelope.id).inserted else {
                throw .badRequest("duplicate_event_id", "\(at): the id \(event.envelope.id.wireString) occurs twice in the batch")
            }
            guard let signature = event.signature else { throw .badRequest("unsigned_event", "\(at) has no signature") }
            guard signature.keyID == device.device.description else {
                throw .unauthenticated("unknown_key", "\(at) is signed by key \(signature.keyID), not by this device")
            }
            guard signature.algorithm == device.record.algorithm,
                signature.verifies(event.canonicalBytes, publicKey: device.record.publicKey)
            else { throw .unauthenticated("bad_signature", "\(at): the signature does not verify with the device's key") }
            let metadata = event.envelope.metadata
            guard metadata.actor == device.member.uuid, metadata.device == device.device.uuid else {
                throw .badRequest("invalid_field", "\(at).metadata: actor and device must name this device and its member")
            }
        }
    }

    /// The answers of a batch recorded before: the same again, or a conflict when its number
    /// was used for other events. `nil` for a new batch.
    private func answerRecorded(
        _ batch: PushBatch, eventsHash: String, device: AuthenticatedDevice, upTo version: Int64
    ) async throws(SyncError) -> JSONValue? {
        switch try await standing(of: batch.number, device: device.device, upTo: version) {
        case .new:
            return nil
        case .outOfOrder(let lastBatch):
            throw SyncError(
                .conflict, "batch_out_of_order",
                "batch numbers must increase; the last batch answered was \(lastBatch)",
                details: ["last_batch": .number(Double(lastBatch))])
        case .answered(let recorded):
            guard recorded.eventsHash == eventsHash else {
                throw SyncError(
                    .conflict, "batch_conflict", "batch \(batch.number) was answered before with other events; use a new number")
            }
            let records = try await records(ids: batch.events.map(\.envelope.id))
            return answer(batch, results: recorded.results, records: records)
        }
    }

    private func decide(_ batch: PushBatch, eventsHash: String, device: AuthenticatedDevice, recordAfter version: Int64)
        async throws(SyncError) -> JSONValue
    {
        let existing = try await records(ids: batch.events.map(\.envelope.id))
        var results: [PushedEventResult?] = []
        var pushed: [PushedCommand] = []
        for event in batch.events {
            let id = event.envelope.id.wireString
            if let record = existing[event.envelope.id] {
                results.append(
                    record.event.hash == event.hash
                        ? PushedEventResult(id: id, status: .duplicate)
                        : PushedEventResult(
                            id: id, status: .rejected, code: "id_conflict",
                            message: "the id was used before for another event; choose a new id"))
                continue
            }
            switch Self.command(for: event) {
            case .success(let command):
                results.append(nil)
                pushed.append(PushedCommand(event: event, command: command))
            case .failure(let rejection):
                results.append(
                    PushedEventResult(id: id, status: .rejected, code: rejection.code.description, message: rejection.message))
            }
        }
        let (deviceID, number, settled) = (device.device, batch.number, results)
        let ids = batch.events.map(\.envelope.id.wireString)
        let merged: @Sendable ([PushDecision]) -> [PushedEventResult] = { decisions in
            var next = decisions.makeIterator()
            return zip(ids, settled).map { id, result in
                if let result { return result }
                switch next.next() {
                case .rejected(let rejection):
                    return PushedEventResult(
                        id: id, status: .rejected, code: rejection.code.description, message: rejection.message)
                default:
                    return PushedEventResult(id: id, status: .accepted)
                }
            }
        }
        let decisions: [PushDecision]
        let recorded: [RecordedEvent]
        do {
            (decisions, recorded) = try await commands.executePushed(
                pushed, as: .member(device.member), recordStream: deviceID.stream, recordCondition: .exact(version)
            ) { decisions in
                SyncBatchRecorded(device: deviceID, batch: number, eventsHash: eventsHash, results: merged(decisions))
            }
        } catch {
            throw SyncError(error)
        }
        var records = existing
        for record in recorded { records[record.id] = record }
        return answer(batch, results: merged(decisions), records: records)
    }

    /// The command a pushed event stands for, or why it cannot be pushed.
    private static func command(for event: AuthoredEvent) -> Result<any Command, Rejection> {
        let envelope = event.envelope
        guard let entry = PushableEvents.entries[envelope.type.rawValue] else {
            return .failure(Rejection(.forbidden, "\(envelope.type) events cannot be pushed; see PROTOCOL.md §5.3"))
        }
        let payload: [String: JSONValue]
        do {
            guard let current = try EventRegistry.currentPayload(of: envelope) else {
                return .failure(Rejection(.forbidden, "unknown event type \(envelope.type)"))
            }
            payload = current
        } catch {
            return .failure(Rejection(.invalidField, "\(error)", field: "schema_version"))
        }
        do {
            return .success(try CommandDecoding.decode(entry.command, from: payload.merging(entry.fixed) { $1 }))
        } catch {
            return .failure(Rejection(.invalidField, "payload.\(error.field ?? ""): \(error.message)", field: error.field))
        }
    }

    private func records(ids: [UUID]) async throws(SyncError) -> [UUID: RecordedEvent] {
        do { return try await store.recordedEvents(ids: ids) } catch { throw SyncError(storeError: error) }
    }

    /// The signed answer: one result per event, in batch order, receipts for what is in the log.
    private func answer(_ batch: PushBatch, results: [PushedEventResult], records: [UUID: RecordedEvent]) -> JSONValue {
        let items: [JSONValue] = zip(batch.events, results).map { event, result in
            var item: [String: JSONValue] = ["id": .string(result.id), "status": .string(result.status.rawValue)]
            if let code = result.code { item["code"] = .string(code) }
            if let message = result.message { item["message"] = .string(message) }
            if result.status != .rejected, let record = records[event.envelope.id] {
                item["position"] = .number(Double(record.position.value))
                item["receipt"] = receipt(for: record)
            }
            return .object(item)
        }
        return serverKey.sign([
            "protocol": .string(SyncProtocol.version), "device": .string(batch.device),
            "batch": .number(Double(batch.number)), "results": .array(items),
        ])
    }

    /// The server's signature over an event's hash and log position.
    func receipt(for record: RecordedEvent) -> JSONValue {
        serverKey.sign([
            "event_hash": .string(record.event.hash.base64URL), "position": .number(Double(record.position.value)),
        ])
    }
}
