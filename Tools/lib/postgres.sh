# Sourced by Tools/test (and the benchmark and fault scripts): throwaway PostgreSQL servers on
# loopback ports, in temporary folders, stopped when the script exits.
#
#   start_throwaway_postgres
#     PRAXIS_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres   the server the tests share
#     PRAXIS_TEST_POSTGRES_RESTARTABLE=…   a second server, for the test that restarts it mid-write
#     PRAXIS_PG_RESTART=…/pg-restart      restarts that second server in place
#
# Installs PostgreSQL from Debian's packages when it is missing. initdb refuses to run as root,
# so as root the servers run as the `postgres` user.

PRAXIS_PG_ROOTS=()

# Starts one server; prints its root folder and port.
new_postgres_server() {
    local bin=$1 root port
    root=$(mktemp -d /tmp/praxis-pg.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    local run=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$root"
        run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bin/initdb" -D "$root/data" -U postgres -A trust -E UTF8 --no-locale >"$root/initdb.log" 2>&1
    "${run[@]}" "$bin/pg_ctl" -D "$root/data" -l "$root/log" -w -t 30 \
        -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    echo "$root $port"
}

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
    trap stop_throwaway_postgres EXIT
    local root port
    read -r root port < <(new_postgres_server "$bin")
    PRAXIS_PG_ROOTS+=("$root")
    export PRAXIS_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
    read -r root port < <(new_postgres_server "$bin")
    PRAXIS_PG_ROOTS+=("$root")
    export PRAXIS_TEST_POSTGRES_RESTARTABLE="postgres://postgres@127.0.0.1:$port/postgres"
    export PRAXIS_PG_BIN="$bin" PRAXIS_PG_ROOT="$root"
    PRAXIS_PG_RESTART="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg-restart"
    export PRAXIS_PG_RESTART
    echo "PostgreSQL for the tests at $PRAXIS_TEST_POSTGRES (and $PRAXIS_TEST_POSTGRES_RESTARTABLE)" >&2
}

stop_throwaway_postgres() {
    local root run=()
    [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
    for root in "${PRAXIS_PG_ROOTS[@]}"; do
        "${run[@]}" "$PRAXIS_PG_BIN/pg_ctl" -D "$root/data" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$root"
    done
    PRAXIS_PG_ROOTS=()
}
