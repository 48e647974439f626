/// The log's tables in PostgreSQL, as versioned migrations: the same shape as the SQLite log, so
/// `praxis migrate` copies rows one to one. A migration, once released, never changes.
enum PostgresSchema {
    /// The advisory lock every append holds until it commits: the sequencer.
    static let sequencerLock: Int64 = 0x7072_6178_6973_0001
    /// The advisory lock migrations hold, so nodes starting together migrate once.
    static let migrationLock: Int64 = 0x7072_6178_6973_0002

    static let migrations: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE events (
                    position BIGINT PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    stream TEXT COLLATE "C" NOT NULL,
                    stream_version BIGINT NOT NULL,
                    type TEXT NOT NULL,
                    schema_version BIGINT NOT NULL,
                    canonical BYTEA NOT NULL,
                    hash BYTEA NOT NULL,
                    server_time BIGINT NOT NULL,
                    signature_algorithm TEXT,
                    signature_key_id TEXT,
                    signature BYTEA,
                    UNIQUE (stream, stream_version)
                )
                """,
                """
                CREATE FUNCTION praxis_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'events are append-only'; END $$
                """,
                """
                CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
                FOR EACH ROW EXECUTE FUNCTION praxis_events_are_append_only()
                """,
                "CREATE TABLE merkle_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL, PRIMARY KEY (level, idx))",
                """
                CREATE TABLE tree_heads (tree_size BIGINT PRIMARY KEY, root BYTEA NOT NULL, timestamp BIGINT NOT NULL,
                    key_id TEXT NOT NULL, signature BYTEA NOT NULL)
                """,
                "CREATE TABLE server_keys (key_id TEXT PRIMARY KEY, public_key BYTEA NOT NULL)",
            ]
        ),
        (
            2,
            [
                // base64url text to bytes: bulk inserts pass bytes as text arrays.
                """
                CREATE FUNCTION praxis_b64(text) RETURNS bytea LANGUAGE sql IMMUTABLE AS
                $$ SELECT decode(translate($1, '-_', '+/') || repeat('=', (4 - length($1) % 4) % 4), 'base64') $$
                """
            ]
        ),
    ]
}
