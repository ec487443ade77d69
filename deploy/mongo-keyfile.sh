#!/usr/bin/env bash
# Entrypoint of the `mongo` service (docker-compose.yml): writes the replica set key from MONGO_REPLICA_KEY to the
# file mongod reads with --keyFile, owned by the mongodb user and readable by it alone (mongod refuses a key file
# others can read), then hands over to the image's own entrypoint, which creates the root user on first start and
# runs mongod as the mongodb user.
set -euo pipefail

keyfile=/run/mongo/replica.key
# Whitespace is not part of the key (a key pasted from `openssl rand -base64 756` has line breaks).
key="$(printf '%s' "${MONGO_REPLICA_KEY:-}" | tr -d '[:space:]')"
if [[ ! "$key" =~ ^[A-Za-z0-9+/=]{6,1024}$ ]]; then
  echo "MONGO_REPLICA_KEY must be 6 to 1024 base64 characters; make one with: openssl rand -base64 756 | tr -d '\\n'" >&2
  exit 1
fi
install -d -o mongodb -g mongodb -m 0700 "$(dirname "$keyfile")"
(umask 0377 && printf '%s\n' "$key" > "$keyfile")
chown mongodb:mongodb "$keyfile"
chmod 0400 "$keyfile"
unset MONGO_REPLICA_KEY key

exec docker-entrypoint.sh "$@"
