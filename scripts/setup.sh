#!/usr/bin/env bash
# Installs what kubenetlab needs on Debian 12 (only what is missing), builds the jar and puts the
# `kubenetlab` launcher on PATH. Idempotent: running it again changes nothing.
#   sudo scripts/setup.sh            # packages + build
#   sudo scripts/setup.sh --no-build # packages only
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: run as root (sudo scripts/setup.sh): it installs packages and builds network namespaces" >&2
    exit 1
fi

# Debian packages the lab runs: kernel tools, the pods' userland (images without images) and the build.
packages=(
    iproute2        # ip: namespaces, veth, bridges, routes
    util-linux      # nsenter, unshare, setsid
    mount procps hostname coreutils dash bash
    iptables nftables conntrack   # kube-proxy's tools
    kmod            # modprobe br_netfilter, for bridge-nf-call-iptables
    netcat-openbsd  # the article's nc (alpine profile)
    bind9-dnsutils  # nslookup and dig in pods
    python3         # python -m SimpleHTTPServer (python:2.7 profile)
    postgresql postgresql-client   # the article's outside database and psql (postgres profile)
    openjdk-17-jdk-headless maven
    docker.io debootstrap   # the docker runtime: an engine, and images built locally (scripts/build-images.sh)
    bird2           # the bgp network plugin's BGP daemon (one per node, in the node's namespace)
    tcpdump         # watching a lab's packets (the vxlan plugin's encapsulation)
    graphviz        # kubenetlab graph -o svg|html and the ui's drawing (Graphviz's dot)
    chromium        # the ui's integration test (GraphUiIT) drives headless Chromium
)
# Vagrant, for `vagrant up --provider=docker` and its check in scripts/test.sh; not inside the Vagrant
# box itself (vagrant/Dockerfile marks it), which runs this script offline and needs no Vagrant.
[ -e /etc/kubenetlab-vagrant-box ] || packages+=(vagrant)
missing=()
for p in "${packages[@]}"; do
    case "$p" in \#*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Packages must not start their daemons on the host (bird2 would run a BGP daemon in the root
    # namespace): a policy-rc.d that refuses, only for this install, only if none is there already.
    policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -n "$policy" ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
    # Nor at boot: the lab runs its own BIRDs, each with its own config and socket.
    if printf '%s\n' "${missing[@]}" | grep -qx bird2 && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl disable --now bird.service >/dev/null 2>&1 || true
    fi
else
    echo "setup.sh: all packages present"
fi

if [ "${1:-}" != "--no-build" ]; then
    if [ ! -f target/kubenetlab.jar ] || [ -n "$(find src pom.xml -newer target/kubenetlab.jar -print -quit)" ]; then
        echo "setup.sh: building target/kubenetlab.jar"
        mvn -q -B -DskipTests package
    else
        echo "setup.sh: target/kubenetlab.jar is up to date"
    fi
fi

# The outside database's cluster, initialised once per machine (the postgres profile copies it).
scripts/postgres-template.sh

# The launcher on PATH, pointing at this checkout.
ln -sfn "$(pwd)/scripts/kubenetlab" /usr/local/bin/kubenetlab
echo "setup.sh: kubenetlab -> $(readlink /usr/local/bin/kubenetlab)"
# The real kubectl, for the tests that drive it (and for users): upstream's binary when none is there.
scripts/install-kubectl.sh
