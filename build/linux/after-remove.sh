#!/bin/sh
# deb post-remove: the capture group goes with the package on purge only.
set -e
if [ "$1" = "purge" ] && getent group wirenote-capture >/dev/null 2>&1; then
  groupdel wirenote-capture || true
fi
exit 0
