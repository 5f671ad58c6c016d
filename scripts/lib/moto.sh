# Sourced by scripts/test and scripts/dev: a local AWS (moto server) on a
# free loopback port, installed into .venv/ on first use.
#
#   moto_start   installs if needed, starts, waits until it answers, exports
#                AWS_ENDPOINT_URL / AWS_REGION / credentials for the SDK
#   moto_stop    stops it (also run on exit by the trap moto_start sets)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv="$root/.venv"

moto_install() {
  if [ -x "$venv/bin/moto_server" ] && "$venv/bin/python" -c 'import moto' 2>/dev/null; then
    return
  fi
  echo "installing moto server into .venv/ (first run only)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/scripts/requirements-dev.txt"
}

moto_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

moto_start() {
  moto_install
  local port log
  port=$(moto_free_port)
  log="$root/target/moto.log"
  mkdir -p "$root/target"
  "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  MOTO_PID=$!
  trap moto_stop EXIT
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  export AWS_REGION="${AWS_REGION:-ap-northeast-2}"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
  unset AWS_PROFILE AWS_SESSION_TOKEN
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request; urllib.request.urlopen('$AWS_ENDPOINT_URL/moto-api/', timeout=1)" 2>/dev/null; then
      echo "moto server up at $AWS_ENDPOINT_URL (pid $MOTO_PID)"
      return
    fi
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then
      echo "moto server exited; its log:" >&2; cat "$log" >&2; return 1
    fi
    sleep 0.2
  done
  echo "moto server did not answer within 20 s; its log:" >&2; cat "$log" >&2
  return 1
}

moto_stop() {
  if [ -n "${MOTO_PID:-}" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
  fi
  MOTO_PID=
}
