#!/bin/sh
# kubenetlab sandbox: PID 1 of a pod's (or lab machine's) PID namespace, started by unshare inside
# the pod's network namespace. It configures the pod's side of its veth, sets the hostname,
# bind-mounts the pod's /etc/hosts and /etc/resolv.conf (listed in FSTAB; the mount namespace is
# private), starts the containers, then holds the namespaces and reaps orphans, as Kubernetes'
# pause container does.
# usage: sandbox.sh READY_FILE HOSTNAME FSTAB NET_BATCH [N CONTAINER_DIR POLICY ENVN K=V(ENVN)... ARGV...]...
# Every process counts (a pod's cost is its process start-ups): builtins where a builtin will do.
ready=$1 host=$2 fstab=$3 net=$4
shift 4
# The pod's side of its veth (ip -batch in this network namespace; no `ip -n` from outside), after
# the pod's sysctls from its plan (net.sysctl beside the batch: "PATH VALUE" lines under /proc/sys,
# written with builtins), e.g. arp_notify: announce the address when eth0 comes up.
if [ -n "$net" ]; then
    while read -r key value; do
        echo "$value" > "/proc/sys/$key" || exit 1
    done < "${net%/*}/net.sysctl"
    ip -batch "$net" || exit 1
fi
# /proc is this PID namespace's (--mount-proc) and the UTS namespace is ours: no hostname(1) process.
printf '%s' "$host" > /proc/sys/kernel/hostname || exit 1
# Every bind mount in one mount(8) process.
if [ -n "$fstab" ]; then mount -a -T "$fstab" || exit 1; fi
here=${0%/*}
while [ $# -gt 0 ]; do
    n=$1
    # A subshell sourcing container.sh with our "$@": a fork, but no exec of another sh.
    ( . "$here/container.sh" ) &
    shift $((n + 1))
done
echo "$$" > "$ready"
trap 'exit 0' TERM INT
# wait reaps orphans too (waitpid(-1)); only once every container has exited do we need a sleep.
wait
while :; do
    sleep 3600 &
    wait
done
