#!/usr/bin/env bash
# Start the test clamd (deploy/clamav/clamd.conf, 127.0.0.1:13310) unless something already answers
# PING there, then wait up to 60 s until it does. It keeps running afterwards; stop it with
#   kill "$(cat /tmp/tongban-test-clamd/clamd.pid)"
set -euo pipefail
PATH="$PATH:/usr/sbin:/usr/local/sbin"  # Debian puts clamd in /usr/sbin
here="$(cd "$(dirname "$0")" && pwd)"
state=/tmp/tongban-test-clamd
port=13310

answers_ping() {
  local reply=""
  # bash's /dev/tcp: send zPING\0, expect "PONG\0".
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'zPING\0' >&3
  IFS= read -r -d '' -t 2 reply <&3 || true
  exec 3<&- 3>&-
  [[ "$reply" == PONG ]]
}

command -v clamd >/dev/null || { echo "clamd is not installed: apt-get install clamav-daemon" >&2; exit 2; }
answers_ping && exit 0

mkdir -p "$state/db"
rm -f "$state/db/"*.hdb
cp "$here/test-signatures.ndb" "$state/db/"
# flock: parallel test runs start one clamd; the others only wait for it.
exec 9>"$state/start.lock"
flock 9
answers_ping || clamd --config-file="$here/clamd.conf"
for _ in $(seq 1 120); do
  answers_ping && exit 0
  sleep 0.5
done
echo "clamd did not answer PING on 127.0.0.1:$port within 60 s; see $state/clamd.log" >&2
exit 1
