#!/bin/sh
# kubenetlab launcher: starts many sandboxes from one process (a process start is a pod's main
# cost), each in the background with its own log and object mark, and prints their pids in order.
# Started by setsid, so the sandboxes live in their own session and outlive the caller.
# usage: launch.sh [N OBJECT LOG ARGV(N-2)...]...
while [ $# -gt 0 ]; do
    n=$1
    (
        object=$2 log=$3
        shift 3
        # Keep only this sandbox's words: append the first n-2, then drop the original list.
        i=0
        for word do
            if [ "$i" -lt $((n - 2)) ]; then set -- "$@" "$word"; fi
            i=$((i + 1))
        done
        shift "$i"
        KUBENETLAB_OBJECT=$object
        export KUBENETLAB_OBJECT
        exec "$@" </dev/null >>"$log" 2>&1
    ) &
    echo "$!"
    shift $((n + 1))
done
