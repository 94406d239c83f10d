#!/usr/bin/env bash
# What `vagrant up --provider=docker` needs on the host, run by the Vagrantfile's triggers (as root):
#   scripts/vagrant-box.sh up NETWORK     # the host set up (setup.sh: packages, the jar), the box
#                                         # image (built when missing or stale) and the docker network
#                                         # the machine sits on
#   scripts/vagrant-box.sh down NETWORK   # after `vagrant destroy`: that network removed, and the engine
#                                         # stopped if `up` started it and no container is left (images stay)
#   scripts/vagrant-box.sh build          # the box image alone (scripts/test.sh builds it beside its tests)
#   scripts/vagrant-box.sh engine         # a Docker engine, started only when none answers (the Vagrantfile
#                                         # calls this before `vagrant up --provider=docker` asks for one)
# The network is a plain docker bridge network: Vagrant reaches the machine's sshd over it. With the
# engine scripts/dockerd.sh starts (--iptables=false) it has no NAT, so nothing in the machine reaches
# beyond this host; the lab itself lives in namespaces inside the container.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/vagrant-box.sh up|down NETWORK, or build|engine" >&2; exit 1; }
action=${1:-} net=${2:-}
case "$action" in
    build|engine) [ $# -eq 1 ] || usage ;;
    up|down) [ $# -eq 2 ] || usage
        [[ "$net" =~ ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$ ]] || { echo "vagrant-box.sh: bad network name '$net'" >&2; exit 1; } ;;
    *) usage ;;
esac
if [ "$(id -u)" -ne 0 ]; then
    echo "vagrant-box.sh: run vagrant as root (sudo vagrant up --provider=docker): the box runs network namespaces" >&2
    exit 1
fi
BOX=kubenetlab/vagrant-box:bookworm
LABEL=io.kubenetlab.vagrant
# What the box runs of the project's scripts at build time: setup.sh and the two it calls.
SETUP="scripts/setup.sh scripts/postgres-template.sh scripts/install-kubectl.sh"

# Set by `engine` when it had to start the Docker engine: `down` stops that engine again once no container
# at all is left, so `vagrant destroy` leaves the host as `vagrant up` found it (images stay).
STARTED_ENGINE=/run/kubenetlab-vagrant-dockerd

build_box() {
    scripts/dockerd.sh start >/dev/null
    docker image inspect kubenetlab/debian:bookworm >/dev/null 2>&1 || scripts/build-images.sh
    # The box is rebuilt when what goes into it changes: its Dockerfile, the setup scripts, the base image, kubectl.
    local kubectl version ctx
    kubectl=$(command -v kubectl) || { echo "vagrant-box.sh: no kubectl on this host (scripts/setup.sh installs it)" >&2; exit 1; }
    version=$( { cat vagrant/Dockerfile vagrant/vagrant.pub $SETUP; sha256sum "$kubectl";
                 docker image inspect -f '{{.Id}}' kubenetlab/debian:bookworm; } | sha256sum | cut -c1-16)
    if [ "$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$BOX" 2>/dev/null)" = "$version" ]; then
        echo "vagrant-box.sh: $BOX is up to date"
        return
    fi
    echo "vagrant-box.sh: building $BOX (setup.sh's packages from the Debian mirror: a few minutes the first time)"
    ctx=$(mktemp -d /var/tmp/kubenetlab-box.XXXXXX)
    trap 'rm -rf "$ctx"' EXIT
    mkdir "$ctx/vagrant" "$ctx/scripts"
    cp $SETUP "$ctx/scripts/"
    cp vagrant/Dockerfile vagrant/vagrant.pub "$ctx/vagrant/"
    install -m 0755 "$kubectl" "$ctx/kubectl"
    DOCKER_BUILDKIT=0 docker build -q --network host --label "$LABEL=$version" -f "$ctx/vagrant/Dockerfile" -t "$BOX" "$ctx" \
        >/dev/null 2>"$ctx/build.err" || { echo "vagrant-box.sh: docker build $BOX failed:" >&2; cat "$ctx/build.err" >&2; exit 1; }
    rm -rf "$ctx"
    trap - EXIT
    echo "vagrant-box.sh: built $BOX"
}

case "$action" in
build)
    build_box
    ;;
engine)
    scripts/dockerd.sh status || { scripts/dockerd.sh start >/dev/null; touch "$STARTED_ENGINE"; }
    ;;
up)
    # The engine answers already: Vagrant asked it before this trigger (the Vagrantfile starts it: `engine`).
    scripts/setup.sh | sed 's/^/  /'
    build_box
    if ! docker network inspect "$net" >/dev/null 2>&1; then
        docker network create --label "$LABEL=$net" "$net" >/dev/null
        echo "vagrant-box.sh: made the docker network $net"
    fi
    ;;
down)
    # Only a network this script made (its label says so), and only once no container uses it.
    if [ "$(docker network inspect -f "{{index .Labels \"$LABEL\"}}" "$net" 2>/dev/null)" = "$net" ]; then
        docker network rm "$net" >/dev/null
        echo "vagrant-box.sh: removed the docker network $net"
    fi
    if [ -e "$STARTED_ENGINE" ] && [ -z "$(docker ps -aq 2>/dev/null)" ]; then
        scripts/dockerd.sh stop >/dev/null && rm -f "$STARTED_ENGINE"
        echo "vagrant-box.sh: stopped the Docker engine it had started"
    fi
    ;;
esac
