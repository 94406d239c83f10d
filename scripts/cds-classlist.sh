#!/bin/sh
# Regenerates src/main/cds/classlist, from which the build dumps target/kubenetlab.jsa (the class-data-
# sharing archive every kubenetlab JVM starts with): the classes the CLI, the lab's controller and the
# DNS pod load while the article's lab is deployed, used, verified and destroyed. Run it as root after
# a change that loads many new classes at start-up (a stale list only makes start-up slower), then
# rebuild (mvn package) and commit the list.
# usage: sudo scripts/cds-classlist.sh
set -eu
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
[ -f target/kubenetlab.jar ] || mvn -q -B package -DskipTests
# Not /tmp: the DNS pod mounts its own and must see this directory.
dir=$(mktemp -d /var/tmp/kubenetlab-cds.XXXXXX)
name=cds-classlist-$$
cleanup() {
    scripts/kubenetlab destroy --name "$name" >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
export KUBENETLAB_CDS_CLASSLIST_DIR="$dir"
k=scripts/kubenetlab
$k deploy -t topologies/service-network.yaml --name "$name"
$k get pods --lab "$name" -o wide
$k get svc --lab "$name"
$k exec --lab "$name" service-test-client1 -- nc -w2 10.3.241.152 80 </dev/null
$k verify --lab "$name" -n 30
kubeconfig=$($k kubeconfig --lab "$name")
KUBECONFIG=$kubeconfig kubectl get pods,svc,endpoints,endpointslices -A >/dev/null
KUBECONFIG=$kubeconfig kubectl exec api-pod -- true
KUBECONFIG=$kubeconfig kubectl scale deployment service-test --replicas 3
KUBECONFIG=$kubeconfig kubectl rollout status deployment service-test --timeout 60s
# A JVM writes its list as it goes but flushes it only on a normal exit. The DNS pod: scaled to 0, it
# is stopped as Kubernetes stops a pod (SIGTERM).
KUBECONFIG=$kubeconfig kubectl scale deployment kube-dns -n kube-system --replicas 0
KUBECONFIG=$kubeconfig kubectl wait pod -n kube-system -l k8s-app=kube-dns --for=delete --timeout 60s
# The controller writes its list as it goes but flushes it only on a normal exit: SIGTERM it (its
# shutdown hook closes the API) before destroy, which would SIGKILL it.
pid=$(sed -n 's/.*"pid" *: *\([0-9]*\).*/\1/p' "${KUBENETLAB_STATE_DIR:-/run/kubenetlab}/$name/api.json")
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
$k destroy --name "$name"
# One list: every JVM's lines once, in first-seen order, without the per-JVM ids (they only link
# classes of custom class loaders, which the list has none of, and would clash across JVMs).
cat "$dir"/cli-*.classlist "$dir"/controller.classlist "$dir"/dns.classlist \
    | sed 's/ id: [0-9]*$//' | grep -v '^#' | awk '!seen[$0]++' > src/main/cds/classlist
echo "cds-classlist: $(wc -l < src/main/cds/classlist) lines in src/main/cds/classlist; now: mvn package"
