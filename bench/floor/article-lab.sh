#!/bin/sh
# The shell floor for the article's lab: its network as the kernel holds it, built with `ip -batch`
# and `iptables-restore` and nothing else: no controller, no DNS server, no database, no process in
# any pod. The same machines, links, addresses, routes and Service rules kubenetlab makes for
# topologies/service-network.yaml (the article's address plan), in the fewest kernel commands:
#   router      bridges for the node network (10.100.0.1/24), the database's (192.0.2.1/24) and the
#               load balancer's (203.0.113.1/24); routes to each node's pod CIDR via the node
#   node1/2     eth0 on the node network, cbr0 holding 10.0.N.1/24, forwarding on, kube-proxy's
#               rules for the article's Services (ClusterIP, NodePort 30080, LoadBalancer) in nat
#   ext-client, database, lb   one address each, default route via the router
#   6 pods      kube-dns, 2 x service-test, 2 clients, api-pod: eth0 on their node's cbr0
# bench/DeployBench.java runs it beside `kubenetlab deploy` (--compare) and reports kubenetlab / floor.
#
# usage: article-lab.sh up PREFIX | article-lab.sh down PREFIX
#   PREFIX names the namespaces (PREFIX-router, PREFIX-node1, ...); down removes exactly those.
set -eu
action=$1 p=$2
machines="router node1 node2 ext-client database lb"
# pod  node  address
pods="kube-dns node1 10.0.1.254
svc-a node1 10.0.1.2
svc-b node2 10.0.2.2
client1 node1 10.0.1.3
client2 node2 10.0.2.3
api-pod node1 10.0.1.4"

# kube-proxy's iptables rules (nat) for the article's Services, as on each node: KUBE-SERVICES ->
# KUBE-SVC (round robin with statistic) -> KUBE-SEP (DNAT), NodePort 30080, the LoadBalancer's IP.
rules() {
    cat <<RULES
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-DNS - [0:0]
:KUBE-SEP-DNS - [0:0]
:KUBE-SVC-TEST - [0:0]
:KUBE-SEP-TEST-A - [0:0]
:KUBE-SEP-TEST-B - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -j MASQUERADE --random-fully
-A KUBE-SERVICES -d 10.3.240.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-DNS
-A KUBE-SERVICES -d 10.3.241.152/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-TEST
-A KUBE-SERVICES -d 10.3.251.232/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-TEST
-A KUBE-SERVICES -d 203.0.113.100/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-TEST
-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-NODEPORTS -p tcp -m tcp --dport 30080 -j KUBE-SVC-TEST
-A KUBE-SVC-DNS -j KUBE-SEP-DNS
-A KUBE-SEP-DNS -p udp -m udp -j DNAT --to-destination 10.0.1.254:53
-A KUBE-SVC-TEST ! -s 10.0.0.0/14 -j KUBE-MARK-MASQ
-A KUBE-SVC-TEST -m statistic --mode random --probability 0.5 -j KUBE-SEP-TEST-A
-A KUBE-SVC-TEST -j KUBE-SEP-TEST-B
-A KUBE-SEP-TEST-A -p tcp -m tcp -j DNAT --to-destination 10.0.1.2:8080
-A KUBE-SEP-TEST-B -p tcp -m tcp -j DNAT --to-destination 10.0.2.2:8080
COMMIT
RULES
}

case $action in
up)
    { for m in $machines; do echo "netns add $p-$m"; done
      echo "$pods" | while read -r pod _ _; do echo "netns add $p-$pod"; done; } | ip -batch -
    # The router: a bridge per network, a veth to each machine (the machine's end is its eth0).
    ip -n "$p-router" -batch - <<BATCH
link add br-nodes type bridge
link add br-db type bridge
link add br-lb type bridge
addr add 10.100.0.1/24 dev br-nodes
addr add 192.0.2.1/24 dev br-db
addr add 203.0.113.1/24 dev br-lb
link add u-node1 type veth peer name eth0 netns $p-node1
link add u-node2 type veth peer name eth0 netns $p-node2
link add u-ext type veth peer name eth0 netns $p-ext-client
link add u-db type veth peer name eth0 netns $p-database
link add u-lb type veth peer name eth0 netns $p-lb
link set u-node1 master br-nodes up
link set u-node2 master br-nodes up
link set u-ext master br-nodes up
link set u-db master br-db up
link set u-lb master br-lb up
link set br-nodes up
link set br-db up
link set br-lb up
link set lo up
route add 10.0.1.0/24 via 10.100.0.2
route add 10.0.2.0/24 via 10.100.0.3
BATCH
    for host in "ext-client 10.100.0.100/24 10.100.0.1" "database 192.0.2.42/24 192.0.2.1" "lb 203.0.113.2/24 203.0.113.1"; do
        set -- $host
        printf 'addr add %s dev eth0\nlink set lo up\nlink set eth0 up\nroute add default via %s\n' "$2" "$3" | ip -n "$p-$1" -batch -
    done
    for k in 1 2; do
        { echo "addr add 10.100.0.$((k + 1))/24 dev eth0"
          echo "link add cbr0 type bridge"
          echo "addr add 10.0.$k.1/24 dev cbr0"
          echo "link set lo up"
          echo "link set eth0 up"
          echo "link set cbr0 up"
          echo "route add default via 10.100.0.1"
          echo "$pods" | while read -r pod node _; do
              [ "$node" = "node$k" ] || continue
              echo "link add v-$pod type veth peer name eth0 netns $p-$pod"
              echo "link set v-$pod master cbr0 up"
          done; } | ip -n "$p-node$k" -batch -
    done
    echo "$pods" | while read -r pod node ip; do
        printf 'addr add %s/24 dev eth0\nlink set lo up\nlink set eth0 up\nroute add default via %s\n' "$ip" "${ip%.*}.1" \
            | ip -n "$p-$pod" -batch -
    done
    # Forwarding (a sysctl of the namespace: written from inside it) and the nodes' Service rules.
    ip netns exec "$p-router" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
    for k in 1 2; do
        rules | ip netns exec "$p-node$k" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward && iptables-legacy-restore -w'
    done
    ;;
down)
    { for m in $machines; do echo "netns del $p-$m"; done
      echo "$pods" | while read -r pod _ _; do echo "netns del $p-$pod"; done; } | ip -force -batch -
    ;;
*)
    echo "usage: $0 up|down PREFIX" >&2
    exit 2
    ;;
esac
