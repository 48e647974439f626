/// The read models' file could not be opened: damaged (not a database, or corrupt), or not
/// openable at all. The read models are only ever built from the log, so a damaged file loses
/// nothing: the message says how to have them rebuilt.
public struct ReadModelFileError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// Whether the file is there but not a sound database (rather than one that cannot be opened).
    public let isDamaged: Bool
    /// SQLite's reason, without any SQL.
    public let reason: String

    public var description: String {
        guard isDamaged else { return "\(path) cannot be opened: \(reason)" }
        return
            "\(path) is damaged (\(reason)); read models are rebuilt from the log, so move it and its -wal and -shm files aside and run the command again"
    }
}
