# Sourced by ./partita, ci/test and ci/bench: finds JDK 25 and Maven, and knows how to build.
# Sets PARTITA_ROOT, JAVA_HOME, JAVA, MVN.

PARTITA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

partita_die() { echo "partita: $*" >&2; exit 127; }

partita_java_major() { # prints the feature version of the java binary $1
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1 | cut -d. -f1
}

partita_find_jdk() {
    local cand
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        local v; v=$(partita_java_major "$JAVA_HOME/bin/java")
        if [ -n "$v" ] && [ "$v" -ge 25 ]; then JAVA="$JAVA_HOME/bin/java"; export JAVA_HOME; return 0; fi
    fi
    for cand in /usr/lib/jvm/*25* /usr/lib/jvm/*-2[5-9]-* /usr/lib/jvm/*-2[5-9]; do
        if [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ]; then
            local v; v=$(partita_java_major "$cand/bin/java")
            if [ -n "$v" ] && [ "$v" -ge 25 ]; then JAVA_HOME=$cand; JAVA="$cand/bin/java"; export JAVA_HOME; return 0; fi
        fi
    done
    partita_die "no JDK 25 found (JAVA_HOME or /usr/lib/jvm/*25*): install one, e.g. 'apt-get install temurin-25-jdk' or set JAVA_HOME to a JDK 25+"
}

partita_find_maven() {
    if command -v mvn >/dev/null 2>&1; then MVN=$(command -v mvn); return 0; fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "partita: Maven not found; installing Debian's maven package" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven) >&2 || partita_die "could not install Maven"
        MVN=$(command -v mvn); return 0
    fi
    partita_die "Maven not found: install it (apt-get install maven)"
}

# Installs Debian packages for missing commands (as root), else names them and stops.
# Usage: partita_need CMD:PACKAGE ...
partita_need() {
    local pair cmd pkg missing=()
    for pair in "$@"; do
        cmd=${pair%%:*}; pkg=${pair##*:}
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "partita: installing ${missing[*]}" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >&2 \
            || partita_die "could not install ${missing[*]}"
    else
        partita_die "missing ${missing[*]}: install with apt-get install ${missing[*]}"
    fi
}

# Maven prints JDK 24+ warnings about its own use of sun.misc.Unsafe; they are not ours.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

partita_find_jdk
