#!/usr/bin/env bash
# For `make run`: decide how uploads are scanned and print it as shell code for `eval`: the scanner's
# environment and a one-line description in $scanning for the banner. A scanner chosen in the environment
# is kept; otherwise the test clamd (start-test-clamd.sh: loopback 13310, the EICAR signature only) is
# started when clamd is installed, and without it scanning is plainly OFF.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [[ -n "${TONGBAN_VIRUS_SCANNER:-}" ]]; then
  echo "scanning='uploads are scanned by ${TONGBAN_VIRUS_SCANNER} (set in the environment)'"
  exit 0
fi
# Debian puts clamd in /usr/sbin; CLAMD_SEARCH_PATH replaces where it is looked for (tests).
if ! PATH="${CLAMD_SEARCH_PATH:-$PATH:/usr/sbin:/usr/local/sbin}" command -v clamd >/dev/null; then
  started=2
else
  "$here/start-test-clamd.sh" >/dev/null 2>&1
  started=$?
fi
case $started in
  0)
    echo "export TONGBAN_VIRUS_SCANNER=tongban.core.virus_scan.backends.clamd.ClamdScanner"
    echo "export TONGBAN_CLAMD_SOCKET= TONGBAN_CLAMD_HOST=127.0.0.1 TONGBAN_CLAMD_PORT=13310"
    echo "scanning='uploads are scanned by clamd on 127.0.0.1:13310 (test signatures only: EICAR)'"
    ;;
  2)
    echo "export TONGBAN_VIRUS_SCANNER=tongban.core.virus_scan.backends.disabled.DisabledScanner"
    echo "scanning='OFF - uploads are stored UNSCANNED: clamd is not installed (sudo apt-get install clamav-daemon)'"
    ;;
  *)
    echo "export TONGBAN_VIRUS_SCANNER=tongban.core.virus_scan.backends.disabled.DisabledScanner"
    echo "scanning='OFF - uploads are stored UNSCANNED: clamd did not start (see /tmp/tongban-test-clamd/clamd.log)'"
    ;;
esac
