#!/bin/sh
# Installs the NQP edge agent from this unpacked tarball: files under PREFIX (default /opt/nqp-agent), the nqp
# system user, /etc/nqp/agent.yaml (kept if present) and the systemd unit. Needs Node.js 20+ and root.
set -eu
PREFIX="${PREFIX:-/opt/nqp-agent}"
HERE="$(cd "$(dirname "$0")" && pwd)"
NODE="$(command -v node || true)"
[ -n "$NODE" ] || { echo "install.sh: Node.js 20+ is required (node not found on PATH)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
id nqp >/dev/null 2>&1 || useradd --system --home-dir /var/lib/nqp --shell /usr/sbin/nologin nqp
mkdir -p "$PREFIX" /etc/nqp /var/lib/nqp
cp -R "$HERE/lib" "$HERE/package.json" "$PREFIX/"
[ -d "$HERE/node_modules" ] && cp -R "$HERE/node_modules" "$PREFIX/"
[ -d "$PREFIX/node_modules" ] || (cd "$PREFIX" && npm install --omit=dev --no-audit --no-fund)
[ -f /etc/nqp/agent.yaml ] || install -m 0644 "$HERE/agent.yaml" /etc/nqp/agent.yaml
[ -f /etc/nqp/agent.env ] || install -m 0600 /dev/null /etc/nqp/agent.env
chown -R nqp:nqp /var/lib/nqp
sed -e "s#@PREFIX@#$PREFIX#g" -e "s#@NODE@#$NODE#g" "$HERE/nqp-agent.service" > /etc/systemd/system/nqp-agent.service
systemctl daemon-reload
echo "installed. Edit /etc/nqp/agent.yaml (and secrets in /etc/nqp/agent.env), then: systemctl enable --now nqp-agent"
