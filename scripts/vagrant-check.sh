#!/usr/bin/env bash
# The Vagrant check of scripts/test.sh, as a user runs it: `vagrant up --provider=docker` (provisioning
# deploys the article's lab and checks it: scripts/demo.sh), `vagrant ssh -c 'sudo kubenetlab verify'`,
# the README's exec line, every command of docs/walkthrough.md inside the machine (scripts/walkthrough.sh),
# then `vagrant destroy -f`; and the host as it was: its links, routes, rules, namespaces, containers
# and docker networks. The machine, its network and Vagrant's own files carry a name of this run's, so
# a user's `vagrant up` in this checkout is never touched. Fails (never skips) when it cannot run.
#   sudo scripts/vagrant-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "vagrant-check.sh: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root (the machine is a container with network namespaces inside)"
command -v vagrant >/dev/null || fail "vagrant is not installed (scripts/setup.sh installs Debian's vagrant)"

name=knl-vagrant-check-$$-$RANDOM
work=$(mktemp -d /var/tmp/kubenetlab-vagrant-check.XXXXXX)
export KUBENETLAB_VAGRANT_NAME=$name VAGRANT_CWD=$PWD VAGRANT_DOTFILE_PATH=$work/dotfile VAGRANT_HOME=$work/home \
    VAGRANT_CHECKPOINT_DISABLE=1 VAGRANT_NO_COLOR=1

# What a lab or a machine could leave on the host: the root namespace's links, addresses, routes and
# rules (counters and docker's own per-run names left out), namespaces, containers, docker networks.
host_state() {
    ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
    ip -o addr show | awk '{print $2, $4}' | sort
    ip route show table all | sort
    { iptables-legacy-save; iptables-nft-save; } 2>/dev/null | grep -vE '^#|^:' | sort
    nft list ruleset 2>/dev/null
    ip netns list
    docker ps -a --format '{{.Names}}' | sort
    docker network ls --format '{{.Name}}' | sort
}
cleanup() {
    rc=$?
    # Whatever happened: the machine and its network go, and so do Vagrant's files of this run.
    vagrant destroy -f >/dev/null 2>&1 || true
    scripts/vagrant-box.sh down "$name" >/dev/null 2>&1 || true
    [ -z "$engine_started" ] || scripts/dockerd.sh stop >/dev/null || true
    rm -rf "$work"
    exit $rc
}
engine_started=
trap cleanup EXIT

# An engine before the snapshot (its bridge-less start changes nothing in the root namespace); one this
# script starts, it stops at the end.
scripts/dockerd.sh status || { scripts/dockerd.sh start >/dev/null; engine_started=1; }
before=$(host_state)
start=$(date +%s)

echo "vagrant-check.sh: vagrant up --provider=docker (machine $name)"
vagrant up --provider=docker >"$work/up.log" 2>&1 || { tail -n 40 "$work/up.log" >&2; fail "vagrant up --provider=docker"; }
grep -q 'demo: OK' "$work/up.log" || { tail -n 40 "$work/up.log" >&2; fail "provisioning (scripts/demo.sh) did not end with 'demo: OK'"; }
echo "vagrant-check.sh: up and provisioned in $(( $(date +%s) - start )) s ($(grep -o 'is up in [0-9]* ms' "$work/up.log"))"

out=$(vagrant ssh -c 'sudo kubenetlab verify' 2>&1) || { echo "$out" >&2; fail "vagrant ssh -c 'sudo kubenetlab verify'"; }
echo "vagrant-check.sh: $(tail -n 1 <<<"$out")"

# The README's exec line: nc with nothing to send waits out its -w 2 and ends well (the walkthrough
# below sends the ClusterIP real requests and checks their answers).
vagrant ssh -c 'sudo kubenetlab exec service-test-client1 -- nc -w2 10.3.241.152 80 </dev/null' >/dev/null 2>&1 ||
    fail "vagrant ssh -c 'sudo kubenetlab exec service-test-client1 -- nc -w2 10.3.241.152 80 </dev/null'"

# The walkthrough, inside the machine, as a learner follows it (it ends by destroying the lab).
vagrant ssh -c 'sudo /home/vagrant/kubenetlab/scripts/walkthrough.sh' >"$work/walkthrough.log" 2>&1 ||
    { tail -n 30 "$work/walkthrough.log" >&2; fail "docs/walkthrough.md inside the machine (scripts/walkthrough.sh)"; }
echo "vagrant-check.sh: $(tail -n 1 "$work/walkthrough.log")"

vagrant destroy -f >"$work/destroy.log" 2>&1 || { cat "$work/destroy.log" >&2; fail "vagrant destroy -f"; }
docker ps -a --format '{{.Names}}' | grep -qx "$name" && fail "the container $name is still there after vagrant destroy"
docker network inspect "$name" >/dev/null 2>&1 && fail "the docker network $name is still there after vagrant destroy"
after=$(host_state)
if [ "$before" != "$after" ]; then
    diff <(echo "$before") <(echo "$after") >&2 || true
    fail "the host changed (above: < before, > after)"
fi
echo "vagrant-check.sh: vagrant up, ssh, verify, the walkthrough and destroy in $(( $(date +%s) - start )) s; the host is as it was"
