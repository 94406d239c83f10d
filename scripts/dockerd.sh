#!/usr/bin/env bash
# A Docker engine for the docker runtime, on machines without systemd.
#   scripts/dockerd.sh start    # starts dockerd only when no engine answers; says which it uses
#   scripts/dockerd.sh stop     # stops the engine this script started, never another one
#   scripts/dockerd.sh status   # exit 0 when an engine answers
# The engine we start is a lab engine: lab containers run with --network none and are wired by
# kubenetlab itself, so it needs neither docker0 nor iptables rules in the root namespace
# (--bridge=none --iptables=false leaves the host's links and netfilter alone).
# Never start a second engine in the root namespace: one started with --bridge none deletes the
# first one's docker0. So `start` does nothing while any engine answers on the socket.
set -euo pipefail

SOCK=/var/run/docker.sock
PIDFILE=/run/kubenetlab-dockerd.pid     # only an engine we started has this file
LOG=/var/log/kubenetlab-dockerd.log

answers() {
    timeout 10 docker -H "unix://$SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

ours() {
    [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null &&
        [ "$(readlink "/proc/$(cat "$PIDFILE")/exe" 2>/dev/null)" = "$(readlink -f "$(command -v dockerd)")" ]
}

case "${1:-}" in
    start)
        if answers; then
            if ours; then echo "dockerd.sh: using the engine started earlier by this script (pid $(cat "$PIDFILE"))"
            else echo "dockerd.sh: a Docker engine already answers on $SOCK: using it"; fi
            exit 0
        fi
        if ! command -v dockerd >/dev/null; then
            echo "dockerd.sh: dockerd is missing (Debian package docker.io; run scripts/setup.sh)" >&2
            exit 1
        fi
        if [ -S "$SOCK" ] && pgrep -x dockerd >/dev/null; then
            echo "dockerd.sh: a dockerd runs but does not answer on $SOCK; not starting a second engine" >&2
            exit 1
        fi
        echo "dockerd.sh: starting dockerd (log: $LOG)"
        setsid dockerd --host "unix://$SOCK" --pidfile "$PIDFILE" \
            --bridge=none --iptables=false --ip6tables=false >>"$LOG" 2>&1 </dev/null &
        for _ in $(seq 1 300); do
            if answers; then echo "dockerd.sh: dockerd is up (pid $(cat "$PIDFILE"))"; exit 0; fi
            sleep 0.1
        done
        echo "dockerd.sh: dockerd did not answer within 30 s; its log:" >&2
        tail -n 20 "$LOG" >&2
        exit 1
        ;;
    stop)
        if ! ours; then
            echo "dockerd.sh: no engine started by this script is running; leaving any other engine alone"
            rm -f "$PIDFILE"
            exit 0
        fi
        pid=$(cat "$PIDFILE")
        kill -TERM "$pid"
        for _ in $(seq 1 300); do
            kill -0 "$pid" 2>/dev/null || { echo "dockerd.sh: stopped dockerd (pid $pid)"; exit 0; }
            sleep 0.1
        done
        echo "dockerd.sh: dockerd (pid $pid) did not stop within 30 s" >&2
        exit 1
        ;;
    status)
        answers
        ;;
    *)
        echo "usage: scripts/dockerd.sh start|stop|status" >&2
        exit 2
        ;;
esac
