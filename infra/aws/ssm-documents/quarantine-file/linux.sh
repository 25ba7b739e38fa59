# quarantineFile (Linux): moves the file into a root-only quarantine folder of its own, recording
# its path, sha256 and mode; undo moves it back if it is still the same file.
dir="$AC_QUARANTINE_ROOT/$AC_ACTION_ID"
case "$AC_OPERATION" in
execute)
  if [ -f "$dir/record.json" ]; then
    cat "$dir/record.json" # quarantined by an earlier run of this action: the same answer
    exit 0
  fi
  [ -e "$AC_PATH" ] || fail "$AC_PATH does not exist"
  [ -f "$AC_PATH" ] && [ ! -L "$AC_PATH" ] || fail "$AC_PATH is not a regular file"
  hash=$(sha256sum -- "$AC_PATH" | cut -d' ' -f1)
  if [ -n "$AC_SHA256" ] && [ "$hash" != "$AC_SHA256" ]; then
    fail "$AC_PATH has sha256 $hash, not $AC_SHA256 as in the alert: not quarantined"
  fi
  mode=$(stat -c %a -- "$AC_PATH")
  dir=$(quarantine_dir)
  mv -- "$AC_PATH" "$dir/file"
  chmod 000 "$dir/file"
  record="{\"path\":$(json "$AC_PATH"),\"sha256\":\"$hash\",\"mode\":\"$mode\",\"quarantinedAs\":$(json "$dir/file"),\"platform\":\"Linux\"}"
  printf '%s\n' "$record" >"$dir/record.json"
  echo "Quarantined $AC_PATH"
  echo "$record"
  ;;
undo)
  [ -f "$dir/file" ] || fail "nothing is quarantined for $AC_ACTION_ID"
  [ ! -e "$AC_PATH" ] || fail "$AC_PATH exists again: not overwritten"
  hash=$(sha256sum -- "$dir/file" | cut -d' ' -f1)
  [ "$hash" = "$AC_SHA256" ] || fail "the quarantined file has sha256 $hash, not the recorded $AC_SHA256"
  mode=$(sed -n 's/.*"mode":"\([0-7]*\)".*/\1/p' "$dir/record.json")
  mkdir -p -- "$(dirname -- "$AC_PATH")"
  mv -- "$dir/file" "$AC_PATH"
  chmod "${mode:-600}" -- "$AC_PATH"
  rm -rf -- "$dir"
  echo "Restored $AC_PATH"
  echo "{\"path\":$(json "$AC_PATH"),\"sha256\":\"$hash\",\"platform\":\"Linux\"}"
  ;;
*) fail "unknown operation $AC_OPERATION" ;;
esac
