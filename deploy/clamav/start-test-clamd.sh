#!/usr/bin/env bash
# Start the test clamd (deploy/clamav/clamd.conf, 127.0.0.1:13310) unless it already runs with this
# clamd.conf and signature file, then wait up to 60 s until it answers PING. It keeps running afterwards;
# stop it with
#   kill "$(cat /tmp/tongban-test-clamd/clamd.pid)"
# One test clamd serves every checkout on the machine. A clamd started from another configuration (an
# older checkout, or one that changed the limits) is restarted with this one, since clamd reads its
# limits only at start: test runs of other checkouts that scan during the restart (about a second) find
# the scanner unavailable. A fresh machine (CI) starts it once.
set -euo pipefail
PATH="$PATH:/usr/sbin:/usr/local/sbin"  # Debian puts clamd in /usr/sbin
here="$(cd "$(dirname "$0")" && pwd)"
config="$here/clamd.conf"
state=/tmp/tongban-test-clamd
port=13310
config_hash="$(cat "$config" "$here/test-signatures.ndb" | sha256sum | cut -c1-16)"

answers_ping() {
  local reply=""
  # bash's /dev/tcp: send zPING\0, expect "PONG\0".
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'zPING\0' >&3
  IFS= read -r -d '' -t 2 reply <&3 || true
  exec 3<&- 3>&-
  [[ "$reply" == PONG ]]
}

running_pid() {
  tr -d '[:space:]' <"$state/clamd.pid" 2>/dev/null || true
}

# $state/config holds "<config hash> <pid>" of the clamd this script started last. Another pid in the pid
# file means another checkout started the one that runs now, from a configuration unknown here.
runs_this_config() {
  [[ -f "$state/config" && "$(cat "$state/config")" == "$config_hash $(running_pid)" ]]
}

command -v clamd >/dev/null || { echo "clamd is not installed: apt-get install clamav-daemon" >&2; exit 2; }
answers_ping && runs_this_config && exit 0

mkdir -p "$state/db"
# flock: parallel test runs start one clamd; the others only wait for it. (Older versions of this script
# locked start.lock and let clamd inherit the lock, which it then held for good.)
exec 9>"$state/restart.lock"
flock 9
answers_ping && runs_this_config && exit 0
old_pid="$(running_pid)"
# Only a clamd: a stale pid file may name a process that took the number since.
if [[ -n "$old_pid" ]] && tr '\0' ' ' <"/proc/$old_pid/cmdline" 2>/dev/null | grep -q "clamd --config-file=" \
  && kill "$old_pid" 2>/dev/null; then
  echo "restarting the test clamd (pid $old_pid) with $config" >&2
  for _ in $(seq 1 100); do
    kill -0 "$old_pid" 2>/dev/null || break
    sleep 0.1
  done
fi
rm -f "$state/config" "$state/db/"*.hdb "$state/db/"*.ndb
cp "$here/test-signatures.ndb" "$state/db/"
clamd --config-file="$config" 9>&-  # the daemon must not keep the lock
for _ in $(seq 1 120); do
  if answers_ping; then
    # Record it only if it is the clamd just started (an older script may have started its own meanwhile).
    pid="$(running_pid)"
    if [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--config-file=$config"; then
      echo "$config_hash $pid" >"$state/config"
      exit 0
    fi
    echo "another test clamd (pid $pid) answers on 127.0.0.1:$port; run this script again" >&2
    exit 1
  fi
  sleep 0.5
done
echo "clamd did not answer PING on 127.0.0.1:$port within 60 s; see $state/clamd.log" >&2
exit 1
