# removeScheduledTask (Linux): the task is a cron file in /etc/cron.d; it is exported (moved) into
# the action's quarantine folder, and undo puts it back.
cron_dir="${AC_CRON_DIR:-/etc/cron.d}"
case "$AC_TASK_NAME" in
*/* | *\\* | .*) fail "$AC_TASK_NAME is not a file name in $cron_dir" ;;
esac
file="$cron_dir/$AC_TASK_NAME"
dir="$AC_QUARANTINE_ROOT/$AC_ACTION_ID"
case "$AC_OPERATION" in
execute)
  if [ -f "$dir/cron" ]; then
    cat "$dir/record.json"
    exit 0
  fi
  [ -f "$file" ] || fail "no cron file $file"
  dir=$(quarantine_dir)
  cp -p -- "$file" "$dir/cron"
  rm -f -- "$file"
  record="{\"taskName\":$(json "$AC_TASK_NAME"),\"exportedTo\":$(json "$dir/cron"),\"platform\":\"Linux\"}"
  printf '%s\n' "$record" >"$dir/record.json"
  echo "Exported and removed $file"
  echo "$record"
  ;;
undo)
  [ -f "$dir/cron" ] || fail "nothing was exported for $AC_ACTION_ID"
  [ ! -e "$file" ] || fail "$file exists again: not overwritten"
  mv -- "$dir/cron" "$file"
  rm -rf -- "$dir"
  echo "Restored $file"
  echo "{\"taskName\":$(json "$AC_TASK_NAME"),\"platform\":\"Linux\"}"
  ;;
*) fail "unknown operation $AC_OPERATION" ;;
esac
