#!/bin/sh
# kubenetlab container supervisor, kubelet's part: runs the container's argv in its working
# directory with output captured for `logs`, records each run's start (run number, pid) and end
# (exit code, time, back-off) in files that the lab reads for pod status, and restarts per
# restartPolicy with kubelet's back-off (first restart at once, then 10 s doubling to 5 min).
# A "stop" file in DIR (the pod is being deleted) ends the restarts.
# usage: container.sh N DIR POLICY ENVN K=V(ENVN)... ARGV... [further containers' words, ignored]
# (N counts the words after it.) The environment is exported here rather than with env -i: one
# process less per container.
n=$1 dir=$2 policy=$3
shift 1
# Keep only this container's words: append the first n, then drop the original list.
i=0
for word do
    if [ "$i" -ge 2 ] && [ "$i" -lt "$n" ]; then set -- "$@" "$word"; fi
    i=$((i + 1))
done
shift "$i"
# Only what the manifest and the image profile set, as in Kubernetes (PWD comes from cd).
unset KUBENETLAB_LAB KUBENETLAB_OBJECT
envn=$1
shift
while [ "$envn" -gt 0 ]; do
    export "$1"
    shift
    envn=$((envn - 1))
done
cd "$dir/root" || exit 1
run=0
delay=0
while :; do
    [ -e "$dir/stop" ] && exit 0
    run=$((run + 1))
    read up _ </proc/uptime
    # In the background so its pid is known: killContainer (a liveness failure) signals exactly this
    # process and its children, and this supervisor sees the exit code like any other exit.
    "$@" >>"$dir/log" 2>&1 </dev/null &
    pid=$!
    # "RUN PID" (pid in the pod's PID namespace); the file's mtime is the start time (no date process).
    echo "$run $pid" > "$dir/started"
    wait "$pid"
    rc=$?
    restart=1
    case "$policy" in
        Never) restart=0 ;;
        OnFailure) [ "$rc" -eq 0 ] && restart=0 ;;
    esac
    [ -e "$dir/stop" ] && restart=0
    # kubelet's back-off: the first restart is immediate, then 10 s doubling to 5 min; a container
    # that ran 10 minutes starts over.
    read now _ </proc/uptime
    if [ $((${now%.*} - ${up%.*})) -ge 600 ]; then delay=0; fi
    wait_s=$delay
    [ "$restart" -eq 0 ] && wait_s=-1
    # "RUN EXIT_CODE FINISHED BACKOFF" (BACKOFF -1: no restart), written whole, then renamed: a
    # reader never sees a half-written status.
    echo "$run $rc $(date +%s) $wait_s" > "$dir/terminated.tmp" && mv -f "$dir/terminated.tmp" "$dir/terminated"
    [ "$restart" -eq 0 ] && exit "$rc"
    [ "$delay" -gt 0 ] && sleep "$delay"
    if [ "$delay" -eq 0 ]; then delay=10; else delay=$((delay * 2)); fi
    [ "$delay" -gt 300 ] && delay=300
done
