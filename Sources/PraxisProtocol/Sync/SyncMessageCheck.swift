/// Checks a sync message the way a client implementer debugging their signatures needs: which
/// kind of message it is, and exactly what is wrong with its hashes and signatures.
///
/// ```swift
/// let report = SyncMessageCheck.check(bytes, deviceKeys: ["<device id>": (.ed25519, publicKey)], serverKey: key)
/// for problem in report.problems { print(problem) }
/// ```
public enum SyncMessageCheck {
    /// What was found.
    public struct Report: Sendable {
        /// `event`, `push batch`, `push answer`, `pull page`, `backfill page`, `receipt` or `unknown`.
        public var kind = "unknown"
        /// Each problem, prefixed with the path of the part it concerns.
        public var problems: [String] = []
        /// What could be checked and passed, and what could not be checked for want of a key.
        public var notes: [String] = []
    }

    /// Checks `bytes`. Device signatures are checked with `deviceKeys` (device id → key), server
    /// signatures with `serverKey` (raw Ed25519); a missing key is a note, not a problem.
    public static func check(
        _ bytes: [UInt8], deviceKeys: [String: (DeviceKeyAlgorithm, [UInt8])], serverKey: [UInt8]?
    ) -> Report {
        var report = Report()
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            report.problems.append("the input is not acceptable JSON (\(error.code)): \(error.message)")
            return report
        }
        guard case .object(let members) = json else {
            report.problems.append("the input is not a JSON object")
            return report
        }
        var checker = Checker(deviceKeys: deviceKeys, serverKey: serverKey)
        if members["stream"] != nil && members["type"] != nil {
            report.kind = "event"
            checker.event(json, at: "")
        } else if members["results"] != nil {
            report.kind = "push answer"
            checker.server(json, at: "")
            for (index, result) in (members["results"]?.arrayValue ?? []).enumerated() {
                if let receipt = result["receipt"] { checker.receipt(receipt, at: "results.\(index).receipt") }
            }
        } else if members["batch"] != nil && members["events"] != nil {
            report.kind = "push batch"
            if CanonicalJSON.encode(json) != bytes {
                checker.problems.append("the batch is not its own RFC 8785 canonical form (the server answers non_canonical)")
            }
            do {
                _ = try PushBatch(json: json)
            } catch {
                checker.problems.append("the batch is malformed: \(error)")
            }
            for (index, event) in (members["events"]?.arrayValue ?? []).enumerated() {
                checker.event(event, at: "events.\(index)")
            }
        } else if members["next_cursor"] != nil || members["next_after"] != nil {
            report.kind = members["next_cursor"] != nil ? "pull page" : "backfill page"
            checker.server(json, at: "")
            for (index, item) in (members["events"]?.arrayValue ?? []).enumerated() {
                guard let event = item["event"] else {
                    checker.problems.append("events.\(index): has no event")
                    continue
                }
                checker.event(event, at: "events.\(index).event")
            }
        } else if members["event_hash"] != nil {
            report.kind = "receipt"
            checker.receipt(json, at: "")
        } else {
            checker.problems.append("not a Praxis sync message: no stream/type, batch/events, results, next_cursor or event_hash")
        }
        report.problems = checker.problems
        report.notes = checker.notes
        return report
    }

    private struct Checker {
        let deviceKeys: [String: (DeviceKeyAlgorithm, [UInt8])]
        let serverKey: [UInt8]?
        var problems: [String] = []
        var notes: [String] = []

        static func label(_ path: String) -> String { path.isEmpty ? "" : path + ": " }

        mutating func event(_ json: JSONValue, at path: String) {
            let event: AuthoredEvent
            do {
                event = try AuthoredEvent(json: json)
            } catch {
                problems.append(Self.label(path) + "not a valid event envelope: \(error)")
                return
            }
            notes.append(Self.label(path) + "hash \(event.hash.base64URL) over \(event.canonicalBytes.count) canonical bytes")
            guard let signature = event.signature else {
                notes.append(Self.label(path) + "unsigned (server-written events carry no device signature)")
                return
            }
            guard let (algorithm, key) = deviceKeys[signature.keyID] else {
                notes.append(Self.label(path) + "signature of device \(signature.keyID) not checked: pass its key")
                return
            }
            if algorithm != signature.algorithm {
                problems.append(
                    Self.label(path) + "signed with \(signature.algorithm.rawValue) but the device's key is \(algorithm.rawValue)"
                )
            } else if !signature.verifies(event.canonicalBytes, publicKey: key) {
                problems.append(
                    Self.label(path)
                        + "the signature does not verify: sign the RFC 8785 bytes of the event without its signature member")
            } else {
                notes.append(Self.label(path) + "device signature ok")
            }
        }

        mutating func server(_ json: JSONValue, at path: String) {
            guard let serverKey else {
                notes.append(Self.label(path) + "server signature not checked: pass the server key")
                return
            }
            if let problem = SignedObject.problem(with: json, publicKey: serverKey) {
                problems.append(Self.label(path) + "server signature: " + problem)
            } else {
                notes.append(Self.label(path) + "server signature ok")
            }
        }

        mutating func receipt(_ json: JSONValue, at path: String) {
            if json["event_hash"]?.stringValue.flatMap(EventHash.init(base64URL:)) == nil
                || json["position"]?.integerValue == nil
            {
                problems.append(Self.label(path) + "a receipt needs event_hash (base64url SHA-256) and position")
            }
            server(json, at: path)
        }
    }
}
