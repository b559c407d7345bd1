#!/usr/bin/env bash
# Start Duo Impact for many viewers: DUO_WORKERS Streamlit processes on
# loopback ports behind HAProxy, in the foreground until stopped (Ctrl-C,
# SIGTERM from systemd); stopping it stops every process it started.
#
#   deploy/run.sh                         # 3 processes on 127.0.0.1:8601-8603, the proxy on 127.0.0.1:8080
#   DUO_WORKERS=4 DUO_PROXY_BIND=0.0.0.0:8080 deploy/run.sh
#
# Settings (environment): DUO_WORKERS (3), DUO_BASE_PORT (8601), DUO_PROXY_BIND
# (127.0.0.1:8080), DUO_RUN_DIR (deploy/run: logs, pid files, the generated
# haproxy.cfg), DUO_COOKIE_SECRET_FILE (deploy/cookie_secret, created with mode
# 600 on first start: the XSRF cookie secret every process shares), DUO_PYTHON
# (.venv/bin/python), DUO_HAPROXY (haproxy). The dashboard's own settings
# (DUO_IMPACT_DB, DUO_IMPACT_USERS, ...) pass through to every process.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"                              # .streamlit/config.toml and secrets.toml are read from here

workers=${DUO_WORKERS:-3}
base=${DUO_BASE_PORT:-8601}
export DUO_PROXY_BIND=${DUO_PROXY_BIND:-127.0.0.1:8080}
run=${DUO_RUN_DIR:-$here/run}
secret_file=${DUO_COOKIE_SECRET_FILE:-$here/cookie_secret}
python=${DUO_PYTHON:-$root/.venv/bin/python}
haproxy=${DUO_HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}

mkdir -p "$run"
if [ ! -s "$secret_file" ]; then
  (umask 077; "$python" -c "import secrets; print(secrets.token_hex(32))" > "$secret_file")
fi
export STREAMLIT_SERVER_COOKIE_SECRET
STREAMLIT_SERVER_COOKIE_SECRET=$(cat "$secret_file")

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop EXIT
trap 'exit 143' INT TERM

servers=""
for i in $(seq 1 "$workers"); do
  port=$((base + i - 1))
  "$python" -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 \
      >"$run/streamlit-$i.log" 2>&1 &
  pids+=($!)
  echo $! >"$run/streamlit-$i.pid"
  servers+="    server app$i 127.0.0.1:$port check cookie app$i"$'\n'
done

# The runtime config: the server lines in place of the SERVERS marker.
awk -v servers="$servers" '/^    # SERVERS/ { printf "%s", servers; next } { print }' \
    "$here/haproxy.cfg" >"$run/haproxy.cfg"
"$haproxy" -c -q -f "$run/haproxy.cfg"
"$haproxy" -db -f "$run/haproxy.cfg" >"$run/haproxy.log" 2>&1 &
pids+=($!)
echo $! >"$run/haproxy.pid"
echo "Duo Impact: http://$DUO_PROXY_BIND ($workers processes from port $base; logs in $run)"
# Stop everything when any of them ends.
wait -n
