#!/bin/sh
# The shell floor for pods: what a pod's network costs the kernel when nothing but `ip -batch`
# builds it. Two node namespaces with a cbr0 bridge each; N pod namespaces, alternately on node1 and
# node2, each with a veth (eth0 in the pod, the peer on the node's cbr0), an address, lo and eth0 up
# and a default route via the bridge. No process runs in a pod. bench/DeployBench.java runs it
# beside kubenetlab's N-pod deploy (--compare) and reports kubenetlab / floor per pod.
#
# One `ip -batch` adds every namespace, one per node adds the veths, and one `ip -n POD -batch`
# per pod configures its side (addresses are per namespace: a moved link loses them, so the pod's
# side is configured from inside the pod, one process each).
#
# usage: pods.sh up PREFIX N | pods.sh down PREFIX N
#   PREFIX names the namespaces (PREFIX-node1, PREFIX-p0, ...); down removes exactly those.
set -eu
action=$1 prefix=$2 n=$3
pods() { i=0; while [ "$i" -lt "$n" ]; do echo "$i"; i=$((i + 1)); done; }
case $action in
up)
    { echo "netns add $prefix-node1"; echo "netns add $prefix-node2"
      for i in $(pods); do echo "netns add $prefix-p$i"; done; } | ip -batch -
    for k in 1 2; do
        # node1's pods in 10.0.0.0/22, node2's in 10.0.4.0/22; each node's cbr0 holds .1.
        { echo "link add cbr0 type bridge"
          echo "addr add 10.0.$(((k - 1) * 4)).1/22 dev cbr0"
          echo "link set cbr0 up"
          for i in $(pods); do
              [ $((i % 2 + 1)) -eq "$k" ] || continue
              echo "link add v$i type veth peer name eth0 netns $prefix-p$i"
              echo "link set v$i master cbr0 up"
          done; } | ip -n "$prefix-node$k" -batch -
    done
    for i in $(pods); do
        k=$((i % 2 + 1)) j=$((i / 2 + 2))
        ip -n "$prefix-p$i" -batch - <<BATCH
addr add 10.0.$(((k - 1) * 4 + j / 256)).$((j % 256))/22 dev eth0
link set lo up
link set eth0 up
route add default via 10.0.$(((k - 1) * 4)).1
BATCH
    done
    ;;
down)
    { for i in $(pods); do echo "netns del $prefix-p$i"; done
      echo "netns del $prefix-node1"; echo "netns del $prefix-node2"; } | ip -force -batch -
    ;;
*)
    echo "usage: $0 up|down PREFIX N" >&2
    exit 2
    ;;
esac
