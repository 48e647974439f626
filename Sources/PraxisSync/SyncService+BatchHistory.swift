import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore

/// Where a batch number stands in a device's history of answered batches.
enum BatchStanding {
    /// Never used and above every number used: the batch is new.
    case new
    /// Answered before; the record holds the answers.
    case answered(SyncBatchRecorded)
    /// Never used, but not above the last number answered: numbers must increase.
    case outOfOrder(lastBatch: Int64)
}

extension SyncService {
    /// How `number` stands in `device`'s stream up to stream version `version`, looked up newest
    /// record first.
    ///
    /// Batch numbers increase along the stream, so a new batch costs one short read and a resend
    /// (nearly always of the latest batch) little more. The device's history is neither folded nor
    /// held: a device pushes for years, and keeping every answered batch of every device in memory
    /// was what made the server grow under steady pushes.
    func standing(of number: Int64, device: DeviceID, upTo version: Int64) async throws(SyncError) -> BatchStanding {
        var from = version
        var limit = 4
        var lastBatch: Int64?
        while from >= 1 {
            let page: [RecordedEvent]
            do {
                page = try await store.readStream(device.stream, direction: .backward, from: from, limit: limit)
            } catch {
                throw SyncError(storeError: error)
            }
            for recorded in page where recorded.type.rawValue == SyncBatchRecorded.type {
                let record = try Self.batchRecord(recorded)
                let last = lastBatch ?? record.batch
                lastBatch = last
                if record.batch == number { return .answered(record) }
                if record.batch < number { return number > last ? .new : .outOfOrder(lastBatch: last) }
            }
            guard page.count == limit, let oldest = page.last else { break }
            from = oldest.streamVersion - 1
            limit = min(limit * 2, 256)
        }
        guard let lastBatch, number <= lastBatch else { return .new }
        return .outOfOrder(lastBatch: lastBatch)
    }

    private static func batchRecord(_ recorded: RecordedEvent) throws(SyncError) -> SyncBatchRecorded {
        let decoded: (any DomainEvent)?
        do {
            decoded = try EventRegistry.decode(recorded.envelope)
        } catch {
            throw SyncError(CommandFailure.unreadableHistory("position \(recorded.position): \(error)"))
        }
        guard let record = decoded as? SyncBatchRecorded else {
            throw SyncError(CommandFailure.unreadableHistory("position \(recorded.position): not a batch record"))
        }
        return record
    }
}
