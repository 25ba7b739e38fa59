# Shared by every Linux document of the Action Center (POSIX sh). The document sets the AC_*
# parameters above this, each single-quoted and checked against its allowedPattern.
set -eu
umask 077
AC_QUARANTINE_ROOT="${AC_QUARANTINE_ROOT:-/var/lib/actioncenter/quarantine}"

# A refusal or failure: the reason on stderr, a non-zero exit (the command becomes Failed).
fail() {
  echo "actioncenter: $*" >&2
  exit 1
}

# A value as a JSON string; parameters hold no quotes or control characters, only backslashes.
json() {
  printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

# The action's own folder in the quarantine: root-only, created once.
quarantine_dir() {
  mkdir -p -m 700 "$AC_QUARANTINE_ROOT"
  chmod 700 "$AC_QUARANTINE_ROOT"
  mkdir -p -m 700 "$AC_QUARANTINE_ROOT/$AC_ACTION_ID"
  echo "$AC_QUARANTINE_ROOT/$AC_ACTION_ID"
}
