#!/bin/sh
# A PostgreSQL cluster initialised once per machine, which the postgres image profile copies instead
# of running initdb for every lab (initdb is most of the outside database's start-up: ~0.5 s of the
# article lab's deploy). setup.sh runs this; idempotent: an existing template is kept.
# /var/lib/kubenetlab/postgres-template/<major version>/, owned by postgres, with the profile's trust
# rule; no lab writes into it (each copies it to its own ./data).
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
    echo "postgres-template.sh: no PostgreSQL server installed (Debian package postgresql)" >&2
    exit 1
fi
major=$(basename "$(dirname "$bin")")
root=/var/lib/kubenetlab/postgres-template
dest=$root/$major
if [ -s "$dest/PG_VERSION" ]; then
    echo "postgres-template.sh: $dest is there"
    exit 0
fi
mkdir -p "$root"
tmp=$(mktemp -d "$root/.new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chown postgres:postgres "$tmp"
chmod 700 "$tmp"
# The same cluster postgres-server's own initdb makes (src/main/resources/io/kubenetlab/images/postgres).
runuser -u postgres -- "$bin/initdb" --no-sync -D "$tmp" --auth=trust -U postgres >/dev/null
echo "host all all 0.0.0.0/0 trust" >> "$tmp/pg_hba.conf"
mv -T "$tmp" "$dest"
trap - EXIT
echo "postgres-template.sh: made $dest"
