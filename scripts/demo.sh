#!/usr/bin/env bash
# The main job: set up, deploy the article's lab, and show that it behaves as the article says.
# The lab stays up for you to explore; remove it with: kubenetlab destroy --name service-network
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
K=scripts/kubenetlab
TOPO=topologies/service-network.yaml

# A demo re-run starts from a clean lab.
$K destroy -t "$TOPO" >/dev/null
$K deploy -t "$TOPO"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

say "kubenetlab get pods --selector=app=service_test_pod -o jsonpath='{.items[*].status.podIP}'"
ips=$($K get pods --selector=app=service_test_pod -o jsonpath='{.items[*].status.podIP}')
echo "$ips"
[ "$ips" = "10.0.1.2 10.0.2.2" ] || fail "expected the article's pod IPs 10.0.1.2 10.0.2.2, got: $ips"

say "kubenetlab logs service-test-client1      # the article's client: nc 10.0.2.2 8080"
out=$($K logs service-test-client1)
echo "$out"
server2=$($K get pods -o jsonpath='{range .items[?(@.status.podIP=="10.0.2.2")]}{.metadata.name}{end}')
grep -q "Hello from $server2" <<<"$out" || fail "client1 did not get 'Hello from $server2'"

for ip in 10.0.1.2 10.0.2.2; do
    say "kubenetlab exec service-test-client1 -- sh -c \"echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc $ip 8080\""
    $K exec service-test-client1 -- sh -c "echo 'GET / HTTP/1.1\r\n\r\n' | nc $ip 8080" | tail -n 1
done

say "kubenetlab exec node1 -- ip route"
$K exec node1 -- ip route
say "kubenetlab exec router -- ip route      # the gateway 10.100.0.1 knows which node holds which pod network"
$K exec router -- ip route

say "kubenetlab get pods -o wide"
$K get pods -o wide

say "kubenetlab get services        # the article's ClusterIP 10.3.241.152 and its NodePort, LoadBalancer and headless variants"
$K get services
say "kubenetlab describe services service-test"
$K describe services service-test

say "kubenetlab exec service-test-client1 -- ... nc 10.3.241.152 80      # the ClusterIP, six times: round robin"
for i in 1 2 3 4 5 6; do
    $K exec service-test-client1 -- sh -c "echo 'GET / HTTP/1.1\r\n\r\n' | nc 10.3.241.152 80" | tail -n 1
done
say "kubenetlab exec ext-client -- ... nc 10.100.0.3 30080               # NodePort, from outside the cluster"
$K exec ext-client -- sh -c "echo 'GET / HTTP/1.1\r\n\r\n' | nc 10.100.0.3 30080" | tail -n 1
say "kubenetlab exec ext-client -- ... nc 203.0.113.100 80               # the LoadBalancer's EXTERNAL-IP"
$K exec ext-client -- sh -c "echo 'GET / HTTP/1.1\r\n\r\n' | nc 203.0.113.100 80" | tail -n 1

say "kubenetlab logs service-test-client2      # the article's client 2: nc service-test 80, by name (cluster DNS)"
$K logs service-test-client2 | tail -n 1
say "kubenetlab exec service-test-client1 -- getent hosts service-test-headless   # headless: the pods themselves"
$K exec service-test-client1 -- getent hosts service-test-headless
say "kubenetlab exec api-pod -- psql -h database -U postgres -c 'select 1'         # the outside database, by name"
$K exec api-pod -- psql -h database -U postgres -c 'select 1'

if command -v kubectl >/dev/null 2>&1; then
    say "KUBECONFIG=\$(kubenetlab kubeconfig) kubectl get pods -o wide   # the real kubectl, against the lab's API"
    KUBECONFIG=$($K kubeconfig) kubectl get pods -o wide
fi

say "kubenetlab verify              # the article's checks, as a report"
$K verify

printf '\ndemo: OK. The lab is still up: try `kubenetlab inspect`, `kubenetlab exec node2 -- ip addr`,\n'
printf '`export KUBECONFIG=$(kubenetlab kubeconfig); kubectl get pods -w`;\n'
printf 'remove it with: kubenetlab destroy --name service-network\n'
