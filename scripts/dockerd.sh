#!/usr/bin/env bash
# Start or stop a Docker engine of this project's own, as root: Debian's dockerd with its own data
# root, exec root, socket and PID file, no iptables and no bridge (containers use --network host).
#
#   scripts/dockerd.sh start   # prints DOCKER_HOST=unix://…; exits 1 with the reason if it does not answer
#   scripts/dockerd.sh stop    # ends the dockerd whose PID the start remembered, and only that one
#
# SOURCE_PAYCOR_DOCKERD_DIR (default /run/source-paycor-dockerd) holds the socket, PID file and log;
# SOURCE_PAYCOR_DOCKER_ROOT (default /var/lib/source-paycor/docker) is the data root (images, layers).
set -euo pipefail

STATE_DIR=${SOURCE_PAYCOR_DOCKERD_DIR:-/run/source-paycor-dockerd}
DATA_ROOT=${SOURCE_PAYCOR_DOCKER_ROOT:-/var/lib/source-paycor/docker}
SOCKET="unix://$STATE_DIR/docker.sock"
PID_FILE="$STATE_DIR/started.pid"  # the PID this script started (dockerd keeps its own in dockerd.pid)
LOG="$STATE_DIR/dockerd.log"
WAIT_SECONDS=60

running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { docker --host "$SOCKET" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
  command -v dockerd >/dev/null || { echo "dockerd.sh: no dockerd on PATH (apt-get install docker.io)" >&2; exit 1; }
  [[ $(id -u) == 0 ]] || { echo "dockerd.sh: dockerd needs root" >&2; exit 1; }
  mkdir -p "$STATE_DIR" "$DATA_ROOT"
  if ! running_pid >/dev/null; then
    # setsid: the engine stays out of the caller's process group (a Ctrl-C of the tests does not kill it).
    setsid dockerd --host "$SOCKET" --data-root "$DATA_ROOT" --exec-root "$STATE_DIR/exec" \
      --pidfile "$STATE_DIR/dockerd.pid" --storage-driver=overlay2 --iptables=false --ip6tables=false --bridge=none \
      >"$LOG" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
  fi
  for _ in $(seq "$WAIT_SECONDS"); do
    if answers; then
      echo "DOCKER_HOST=$SOCKET"
      return 0
    fi
    running_pid >/dev/null || break
    sleep 1
  done
  echo "dockerd.sh: the Docker engine did not answer on $SOCKET; last lines of $LOG:" >&2
  tail -n 20 "$LOG" >&2 || true
  stop >/dev/null 2>&1 || true
  exit 1
}

stop() {
  local pid
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "dockerd.sh: stopped dockerd $pid"
  fi
  rm -f "$PID_FILE"
  # dockerd leaves its data root bind-mounted on itself and its default network namespace mounted.
  awk '{print $2}' /proc/mounts | grep -E "^($STATE_DIR|$DATA_ROOT)(/|$)" | sort -r | xargs -r -n1 umount -l || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
