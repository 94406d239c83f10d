#!/bin/sh
# kubenetlab sandbox: PID 1 of a pod's (or lab machine's) PID namespace, started by unshare inside
# the pod's network namespace. It sets the hostname, bind-mounts the pod's /etc/hosts and
# /etc/resolv.conf (the mount namespace is private), starts the containers, then holds the
# namespaces and reaps orphans, as Kubernetes' pause container does.
# usage: sandbox.sh READY_FILE HOSTNAME HOSTS RESOLV [N CONTAINER_DIR POLICY ARGV(N-2)...]...
ready=$1 host=$2 hosts=$3 resolv=$4
shift 4
hostname "$host" || exit 1
if [ -n "$hosts" ]; then mount --bind "$hosts" /etc/hosts || exit 1; fi
if [ -n "$resolv" ]; then mount --bind "$resolv" /etc/resolv.conf || exit 1; fi
here=$(dirname "$0")
while [ $# -gt 0 ]; do
    n=$1
    "$here/container.sh" "$@" &
    shift $((n + 1))
done
echo "$$" > "$ready"
trap 'exit 0' TERM INT
while :; do
    sleep 3600 &
    wait
done
