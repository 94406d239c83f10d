#!/bin/sh
# kubenetlab container supervisor, kubelet's part: runs the container's argv in its working
# directory with output captured for `logs`, records start, exit code and restarts in files that
# the lab reads for pod status, and restarts per restartPolicy with kubelet's back-off
# (10 s doubling to 5 min).
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
restarts=0
delay=10
while :; do
    if [ -e "$dir/terminated" ]; then rm -f "$dir/terminated"; fi
    : > "$dir/started" # its mtime is the start time (no date process)
    "$@" >>"$dir/log" 2>&1 </dev/null
    rc=$?
    # Written whole, then renamed: a reader never sees a half-written status.
    echo "$rc $(date +%s)" > "$dir/terminated.tmp" && mv -f "$dir/terminated.tmp" "$dir/terminated"
    case "$policy" in
        Never) exit "$rc" ;;
        OnFailure) [ "$rc" -eq 0 ] && exit 0 ;;
    esac
    restarts=$((restarts + 1))
    echo "$restarts" > "$dir/restarts"
    sleep "$delay"
    delay=$((delay * 2))
    [ "$delay" -gt 300 ] && delay=300
done
