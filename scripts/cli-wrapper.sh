#!/bin/sh
# `otto-tray` as shipped inside Otto Tray.app: runs the app's own Node runtime on the app's CLI, so it needs no Node
# on PATH and keeps working through symlinks (the stable link hooks use, /usr/local/bin/otto-tray) after the app moves.
self=$0
case $self in
  */*) ;;
  *) self=$(command -v -- "$self") || exit 127 ;;
esac
# Follow symlinks one level at a time (macOS readlink has no -f before 12.3); a relative link is relative to its directory.
# Claude Code may run hooks with a bare PATH: fall back to readlink by absolute path.
while [ -h "$self" ]; do
  link=$(readlink "$self" 2>/dev/null || /usr/bin/readlink "$self") || break
  case $link in
    /*) self=$link ;;
    *) self=${self%/*}/$link ;;
  esac
done
root=$(cd -P "${self%/*}/.." && pwd -P) || exit 1
if [ ! -x "$root/runtime/node" ] || [ ! -f "$root/dist/cli/main.js" ]; then
  # The Claude Code hook handler must never make a tool call fail: stay silent and succeed.
  [ "$1" = hook ] && exit 0
  echo "otto-tray: $root is incomplete (runtime/node or dist/cli/main.js missing); reinstall Otto Tray" >&2
  exit 1
fi
exec "$root/runtime/node" "$root/dist/cli/main.js" "$@"
