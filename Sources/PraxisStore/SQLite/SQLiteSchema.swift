import GRDB

/// The log's tables, as versioned migrations. A migration, once released, never changes.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        position INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        stream TEXT NOT NULL,
                        stream_version INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        schema_version INTEGER NOT NULL,
                        canonical BLOB NOT NULL,
                        hash BLOB NOT NULL,
                        server_time INTEGER NOT NULL,
                        -- The author's signature over `canonical`; written by delta sync (praxis-sync/1).
                        signature_algorithm TEXT,
                        signature_key_id TEXT,
                        signature BLOB,
                        UNIQUE (stream, stream_version)
                    ) STRICT;
                    CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                    CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                    """)
        }
        migrator.registerMigration("v2: merkle tree") { db in
            try db.execute(sql: SQLiteMerkle.createTable)
            try SQLiteMerkle.backfill(db)
        }
        migrator.registerMigration("v3: signed tree heads") { db in
            try db.execute(sql: SQLiteMerkle.createTreeHeads)
        }
        migrator.registerMigration("v4: server keys") { db in
            try db.execute(sql: SQLiteMerkle.createServerKeys)
        }
        return migrator
    }
}
