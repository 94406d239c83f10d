#!/usr/bin/env bash
# The main job: set up, deploy the article's lab, and show that it behaves as the article says.
# The lab stays up for you to explore; remove it with: kubenetlab destroy --name service-network
#   sudo scripts/demo.sh                 # set up, deploy as "service-network", check
#   sudo scripts/demo.sh --name NAME     # the same lab under another name (DemoScriptIT runs it so)
set -euo pipefail
cd "$(dirname "$0")/.."
LAB=service-network
if [ "${1:-}" = "--name" ] && [ -n "${2:-}" ]; then LAB=$2; elif [ $# -gt 0 ]; then
    echo "usage: scripts/demo.sh [--name NAME]" >&2; exit 1
fi
# The test suite has set the machine up already (KUBENETLAB_DEMO_NO_SETUP=1): setup would rebuild the jar under it.
[ -n "${KUBENETLAB_DEMO_NO_SETUP:-}" ] || scripts/setup.sh
TOPO=topologies/service-network.yaml
# Every command below speaks to this lab, whatever other labs run beside it.
K() { scripts/kubenetlab "$@"; }
KL() { local verb=$1; shift; scripts/kubenetlab "$verb" --lab "$LAB" "$@"; }

# A demo re-run starts from a clean lab.
K destroy --name "$LAB" >/dev/null
K deploy -t "$TOPO" --name "$LAB"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

say "kubenetlab get pods --selector=app=service_test_pod -o jsonpath='{.items[*].status.podIP}'"
ips=$(KL get pods --selector=app=service_test_pod -o jsonpath='{.items[*].status.podIP}')
echo "$ips"
# The API lists pods by name, as the API server does; the names end in random letters, so sort the IPs.
ips=$(tr ' ' '\n' <<<"$ips" | sort | xargs)
[ "$ips" = "10.0.1.2 10.0.2.2" ] || fail "expected the article's pod IPs 10.0.1.2 10.0.2.2, got: $ips"

say "kubenetlab logs service-test-client1      # the article's client: nc 10.0.2.2 8080"
out=$(KL logs service-test-client1)
echo "$out"
server2=$(KL get pods -o jsonpath='{range .items[?(@.status.podIP=="10.0.2.2")]}{.metadata.name}{end}')
grep -q "Hello from $server2" <<<"$out" || fail "client1 did not get 'Hello from $server2'"

for ip in 10.0.1.2 10.0.2.2; do
    say "kubenetlab exec service-test-client1 -- sh -c \"echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc $ip 8080\""
    KL exec service-test-client1 -- sh -c "echo 'GET / HTTP/1.1\r\n\r\n' | nc $ip 8080" | tail -n 1
done

say "kubenetlab exec node1 -- ip route"
KL exec node1 -- ip route
say "kubenetlab exec router -- ip route      # the gateway 10.100.0.1 knows which node holds which pod network"
KL exec router -- ip route

say "kubenetlab get pods -o wide"
KL get pods -o wide

say "kubenetlab get services        # the article's ClusterIP 10.3.241.152 and its NodePort, LoadBalancer and headless variants"
KL get services
say "kubenetlab describe services service-test"
KL describe services service-test

say "kubenetlab exec service-test-client1 -- ... nc 10.3.241.152 80      # the ClusterIP, six times: round robin"
for i in 1 2 3 4 5 6; do
    KL exec service-test-client1 -- sh -c "echo 'GET / HTTP/1.1\r\n\r\n' | nc 10.3.241.152 80" | tail -n 1
done
say "kubenetlab exec ext-client -- ... nc 10.100.0.3 30080               # NodePort, from outside the cluster"
KL exec ext-client -- sh -c "echo 'GET / HTTP/1.1\r\n\r\n' | nc 10.100.0.3 30080" | tail -n 1
say "kubenetlab exec ext-client -- ... nc 203.0.113.100 80               # the LoadBalancer's EXTERNAL-IP"
KL exec ext-client -- sh -c "echo 'GET / HTTP/1.1\r\n\r\n' | nc 203.0.113.100 80" | tail -n 1

say "kubenetlab logs service-test-client2      # the article's client 2: nc service-test 80, by name (cluster DNS)"
KL logs service-test-client2 | tail -n 1
say "kubenetlab exec service-test-client1 -- getent hosts service-test-headless   # headless: the pods themselves"
KL exec service-test-client1 -- getent hosts service-test-headless
say "kubenetlab exec api-pod -- psql -h database -U postgres -c 'select 1'         # the outside database, by name"
KL exec api-pod -- psql -h database -U postgres -c 'select 1'

if command -v kubectl >/dev/null 2>&1; then
    say "KUBECONFIG=\$(kubenetlab kubeconfig) kubectl get pods -o wide   # the real kubectl, against the lab's API"
    KUBECONFIG=$(KL kubeconfig) kubectl get pods -o wide
fi

say "kubenetlab verify              # the article's checks, as a report"
KL verify

printf '\ndemo: OK. The lab is still up: try `kubenetlab inspect`, `kubenetlab exec node2 -- ip addr`,\n'
printf '`export KUBECONFIG=$(kubenetlab kubeconfig); kubectl get pods -w`;\n'
printf 'remove it with: kubenetlab destroy --name %s\n' "$LAB"
