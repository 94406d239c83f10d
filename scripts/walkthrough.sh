#!/usr/bin/env bash
# Runs every command of docs/walkthrough.md, in order, in one shell, as a learner would type them:
# the lines starting with "$ " in its ```console blocks. Each must exit 0 (pipefail: every command of a
# pipeline), and each block's output must contain the texts of the <!-- expect: TEXT --> comments
# just above it. Run as root where the article's lab `service-network` is up (the Vagrant machine after
# provisioning, or any machine after scripts/demo.sh). The last section destroys the lab.
#   sudo scripts/walkthrough.sh [FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
doc=${1:-docs/walkthrough.md}
[ -f "$doc" ] || { echo "walkthrough.sh: no such file: $doc" >&2; exit 1; }
work=$(mktemp -d /var/tmp/kubenetlab-walkthrough.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The document becomes a script: per block, each command's output appended to the block's file, then
# the block's expectations checked. Commands run in this shell (not a subshell), so an `export` holds.
awk -v out="$work" '
    function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
    /^<!-- expect: .* -->$/ { t = $0; sub(/^<!-- expect: /, "", t); sub(/ -->$/, "", t); expects[++ne] = t; next }
    /^```console$/ { inblock = 1; nb++; print ": > " q(out "/block" nb); next }
    /^```$/ && inblock {
        for (i = 1; i <= ne; i++) print "expect " nb " " q(expects[i]);
        ne = 0; inblock = 0; next }
    inblock && /^\$ / {
        cmd = substr($0, 3); nc++
        print "say " q(cmd)
        print "if { " cmd "\n} >" q(out "/out") " 2>&1; then cat " q(out "/out") " | tee -a " q(out "/block" nb) "; else rc=$?; cat " q(out "/out") "; fail " q(cmd) " $rc; fi"
    }
    END { print "echo \"walkthrough.sh: " nc " commands in " nb " blocks, every one as written\"" }
' "$doc" > "$work/run.sh"

{
    echo 'set -o pipefail'
    echo 'say() { printf "\n$ %s\n" "$1"; }'
    echo 'fail() { echo "walkthrough.sh: FAILED (exit $2): $1" >&2; exit 1; }'
    echo "expect() { grep -qF -- \"\$2\" \"$work/block\$1\" || { echo \"walkthrough.sh: FAILED: block \$1's output lacks: \$2\" >&2; exit 1; }; }"
    cat "$work/run.sh"
} > "$work/script.sh"
bash "$work/script.sh"
