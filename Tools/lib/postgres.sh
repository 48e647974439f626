# Sourced by Tools/test (and the benchmark and fault scripts): a throwaway PostgreSQL server on a
# loopback port, in a temporary folder, stopped when the script exits.
#
#   start_throwaway_postgres      # sets PRAXIS_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres
#
# Installs PostgreSQL from Debian's packages when it is missing. initdb refuses to run as root,
# so as root the server runs as the `postgres` user.

start_throwaway_postgres() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1 || true)
    if [ -z "$bin" ]; then
        echo "Installing postgresql …" >&2
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq && $sudo apt-get install -y -qq postgresql >&2
        bin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
    fi
    PRAXIS_PG_ROOT=$(mktemp -d /tmp/praxis-pg.XXXXXX)
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    local run=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PRAXIS_PG_ROOT"
        run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bin/initdb" -D "$PRAXIS_PG_ROOT/data" -U postgres -A trust -E UTF8 --no-locale >"$PRAXIS_PG_ROOT/initdb.log" 2>&1
    "${run[@]}" "$bin/pg_ctl" -D "$PRAXIS_PG_ROOT/data" -l "$PRAXIS_PG_ROOT/log" -w -t 30 \
        -o "-p $port -k $PRAXIS_PG_ROOT -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on" start >&2
    PRAXIS_PG_CTL=("${run[@]}" "$bin/pg_ctl" -D "$PRAXIS_PG_ROOT/data")
    export PRAXIS_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
    export PRAXIS_PG_ROOT PRAXIS_PG_BIN="$bin"
    # For the connection-loss test: restart the server in place (pg_ctl reuses its options).
    export PRAXIS_PG_RESTART="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg-restart"
    trap stop_throwaway_postgres EXIT
    echo "PostgreSQL for the tests at $PRAXIS_TEST_POSTGRES" >&2
}

stop_throwaway_postgres() {
    [ -n "${PRAXIS_PG_ROOT:-}" ] || return 0
    "${PRAXIS_PG_CTL[@]}" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PRAXIS_PG_ROOT"
    PRAXIS_PG_ROOT=""
}
