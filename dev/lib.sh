# Shared helpers for dev/ scripts. Sourced, not run.
set -euo pipefail

KISCSI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}

die() { echo "error: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install PKG...: installs the Debian packages that are missing; runs apt-get update only when a
# package has no install candidate.
apt_install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    note "installing ${missing[*]}"
    local nocandidate=0
    for p in "${missing[@]}"; do
        apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]' || nocandidate=1
    done
    if [ $nocandidate -eq 1 ]; then
        as_root apt-get update -qq || die "apt-get update failed"
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

# The build itself needs a JDK 17 and Maven, and gcc with the libibverbs and librdmacm headers for
# the iSER transport's JNI shim (bundles/transport-iser/src/main/c).
ensure_build_tools() {
    [ -x "$JAVA_HOME/bin/javac" ] || apt_install openjdk-17-jdk-headless
    command -v mvn >/dev/null || apt_install maven
    command -v gcc >/dev/null || apt_install gcc
    apt_install libibverbs-dev librdmacm-dev
}
