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
                // base64url text to bytes: bulk inserts passed bytes as text arrays. Not called since
                // 2026-11-29 (bytes travel as BYTEA arrays); kept for nodes of earlier versions.
                """
                CREATE FUNCTION praxis_b64(text) RETURNS bytea LANGUAGE sql IMMUTABLE AS
                $$ SELECT decode(translate($1, '-_', '+/') || repeat('=', (4 - length($1) % 4) % 4), 'base64') $$
                """
            ]
        ),
        (
            3,
            [
                // Takes the sequencer and then reads what an append checks, in one round trip. A
                // VOLATILE function takes a fresh snapshot for each statement, so the read sees the
                // commit of the append that held the lock before. The head's row carries the root
                // signed for a tree of that size, if any.
                """
                CREATE FUNCTION praxis_begin_append(streams TEXT[], ids TEXT[])
                RETURNS TABLE (row_kind INTEGER, row_stream TEXT, row_value BIGINT, row_root BYTEA)
                LANGUAGE plpgsql VOLATILE AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(\(sequencerLock));
                    RETURN QUERY
                        SELECT 0, ''::TEXT, h.head, (SELECT t.root FROM tree_heads t WHERE t.tree_size = h.head)
                        FROM (SELECT COALESCE(MAX(e.position), 0)::BIGINT AS head FROM events e) AS h
                        UNION ALL
                        SELECT 1, u.s, COALESCE((SELECT MAX(e.stream_version) FROM events e
                            WHERE e.stream = u.s COLLATE "C"), 0)::BIGINT, NULL::BYTEA
                        FROM unnest(streams) AS u(s)
                        UNION ALL
                        SELECT 2, ''::TEXT, COUNT(*)::BIGINT, NULL::BYTEA FROM events e WHERE e.id = ANY(ids);
                END $$
                """
            ]
        ),
    ]
}
