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

printf '\ndemo: OK. The lab is still up: try `kubenetlab inspect`, `kubenetlab exec node2 -- ip addr`;\n'
printf 'remove it with: kubenetlab destroy --name service-network\n'
