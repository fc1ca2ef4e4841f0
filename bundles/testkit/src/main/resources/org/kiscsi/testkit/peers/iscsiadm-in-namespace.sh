#!/bin/bash
# Runs open-iscsi's iscsiadm on a test's record directory, never on the machine's /etc/iscsi.
# Called as: unshare -m -n bash iscsiadm-in-namespace.sh ETC_DIR OPEN_ISCSI_DIR iscsiadm-args...
# In this private mount and network namespace: /run/lock becomes a tmpfs (iscsiadm's lock dir, and
# scratch space), /etc an overlay whose changes land in that tmpfs, ETC_DIR is bind-mounted on
# /etc/iscsi, and socat answers iscsiadm's call to iscsid (which it would otherwise retry for a
# second) by hanging up. Everything goes away with the namespace.
set -eu
etc=$1 oi=$2
shift 2
mount --make-rprivate /
mkdir -p /run/lock
mount -t tmpfs -o mode=0755 kiscsi-oracle /run/lock
mkdir /run/lock/upper /run/lock/work
mount -t overlay kiscsi-oracle -o lowerdir=/etc,upperdir=/run/lock/upper,workdir=/run/lock/work /etc
mkdir -p /etc/iscsi
mount --bind "$etc" /etc/iscsi
socat ABSTRACT-LISTEN:ISCSIADM_ABSTRACT_NAMESPACE,fork EXEC:/bin/true 2>/dev/null &
socat_pid=$!
trap 'kill $socat_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
    grep -qa '@ISCSIADM_ABSTRACT_NAMESPACE' /proc/net/unix && break
    sleep 0.01
done
set +e
LD_LIBRARY_PATH="$oi/usr/lib/x86_64-linux-gnu" "$oi/sbin/iscsiadm" "$@"
