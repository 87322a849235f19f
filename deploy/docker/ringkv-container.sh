#!/bin/sh
# Entrypoint of ringkv's container image (deploy/docker/Dockerfile; docs/operations.md, "Container").
#
#   server                 runs the node with /etc/ringkv/ringkv.yaml if one is mounted there,
#                          else with a configuration written from these variables:
#     RINGKV_NODE_ID       node.id (default: the container's hostname; set it for a node whose
#                          data outlives the container: a data directory belongs to one id)
#     RINGKV_PEER_HOST     cluster.peerHost, the address other nodes reach this one at
#                          (default: the container's first address, `hostname -i`)
#     RINGKV_SEEDS         cluster.seeds, comma-separated host:port (default: none, a one-node cluster)
#     RINGKV_CLUSTER_NAME  cluster.name (default ringkv)
#     RINGKV_CLUSTER_SECRET cluster.secret (strongly advised; the same on every node)
#     RINGKV_REPLICATION_N replication.n (default 3; 1 without seeds)
#     RINGKV_HTTP_PORT, RINGKV_PEER_PORT  http.port, cluster.peerPort (image defaults 8001, 9001)
#     RINGKV_CONFIG        where a mounted configuration is looked for (default /etc/ringkv/ringkv.yaml)
#   server --config FILE   runs the node with FILE
#   anything else          runs `ringkv ARGS`
set -eu

mounted="${RINGKV_CONFIG:-/etc/ringkv/ringkv.yaml}"
rendered="${TMPDIR:-/tmp}/ringkv.yaml"

die() { echo "ringkv-container: $*" >&2; exit 2; }

# 'text' as a single-quoted YAML scalar.
yaml_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

write_config() {
    node_id="${RINGKV_NODE_ID:-$(hostname)}"
    peer_host="${RINGKV_PEER_HOST:-$(hostname -i 2>/dev/null | awk '{print $1}')}"
    [ -n "$peer_host" ] || die "cannot tell this container's address: set RINGKV_PEER_HOST"
    seeds=""
    if [ -n "${RINGKV_SEEDS:-}" ]; then
        for seed in $(printf '%s' "$RINGKV_SEEDS" | tr ',' ' '); do
            case "$seed" in *:*) ;; *) die "RINGKV_SEEDS: expected host:port, got '$seed'" ;; esac
            seeds="${seeds:+$seeds, }$(yaml_quote "$seed")"
        done
        n="${RINGKV_REPLICATION_N:-3}"
    else
        n="${RINGKV_REPLICATION_N:-1}"
    fi
    {
        echo "# Written by ringkv-container from RINGKV_* variables; mount /etc/ringkv/ringkv.yaml to use your own."
        echo "node:"
        echo "  id: $(yaml_quote "$node_id")"
        echo "  dataDir: /var/lib/ringkv/data"
        echo "http:"
        echo "  host: 0.0.0.0"
        echo "  port: ${RINGKV_HTTP_PORT:-8001}"
        echo "cluster:"
        echo "  name: $(yaml_quote "${RINGKV_CLUSTER_NAME:-ringkv}")"
        echo "  peerHost: $(yaml_quote "$peer_host")"
        echo "  peerPort: ${RINGKV_PEER_PORT:-9001}"
        echo "  seeds: [$seeds]"
        if [ -n "${RINGKV_CLUSTER_SECRET:-}" ]; then
            echo "  secret: $(yaml_quote "$RINGKV_CLUSTER_SECRET")"
        fi
        echo "replication:"
        echo "  n: $n"
    } > "$rendered"
}

if [ "$#" -eq 0 ]; then
    set -- server
fi
if [ "$1" = server ] && [ "$#" -eq 1 ]; then
    if [ -f "$mounted" ]; then
        exec ringkv server --config "$mounted"
    fi
    write_config
    echo "ringkv-container: no $mounted; running with $rendered, written from RINGKV_* variables" >&2
    exec ringkv server --config "$rendered"
fi
exec ringkv "$@"
