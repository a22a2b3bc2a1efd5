#!/bin/sh
# deb post-install: give capture rights to the dedicated capture runtime only (never to the
# Electron binary, see docs/capture.md), runnable by members of the wirenote-capture group.
set -e
RUNTIME="/opt/Wirenote/resources/capture/wirenote-capture-node"
if ! getent group wirenote-capture >/dev/null 2>&1; then
  groupadd --system wirenote-capture
fi
if [ -f "$RUNTIME" ]; then
  chown root:wirenote-capture "$RUNTIME"
  chmod 0750 "$RUNTIME"
  if command -v setcap >/dev/null 2>&1; then
    setcap cap_net_raw,cap_net_admin+eip "$RUNTIME" || echo "wirenote: setcap failed; live capture will ask for rights" >&2
  else
    echo "wirenote: setcap not found (install libcap2-bin); live capture will ask for rights" >&2
  fi
  echo "wirenote: add yourself to the capture group: sudo usermod -aG wirenote-capture \$USER (then log in again)"
fi
exit 0
