public import PraxisProtocol

extension RecordedEvent {
    /// The event as operators and auditors read it (HTTP `GET /v1/log`, `praxis log tail --json`):
    /// the author's envelope plus `position`, `stream_version`, `server_time` and `hash`.
    public var json: JSONValue {
        guard case .object(var members) = envelope.json else { return envelope.json }
        members["position"] = .number(Double(position.value))
        members["stream_version"] = .number(Double(streamVersion))
        members["server_time"] = .string(serverTime.rfc3339)
        members["hash"] = .string(event.hash.base64URL)
        return .object(members)
    }
}
