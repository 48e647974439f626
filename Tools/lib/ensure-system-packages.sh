# Sourced by Tools/test and Tools/serve: installs the Debian packages Praxis builds against when
# they are missing (a fresh machine has the Swift toolchain but maybe not SQLite's headers).
ensure_system_packages() {
    local missing=()
    [ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing ${missing[*]} …" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >&2 || {
        echo "Could not install ${missing[*]}; install them with your package manager and retry." >&2
        return 1
    }
}
