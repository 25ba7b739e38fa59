# stopService (Linux, systemd): stops and disables the unit, recording whether it was enabled and
# running; undo enables and starts it again as recorded.
command -v systemctl >/dev/null 2>&1 || fail "systemctl not found: only systemd services are handled"
unit="$AC_SERVICE_NAME"
case "$AC_OPERATION" in
execute)
  load=$(systemctl show -p LoadState --value -- "$unit" 2>/dev/null || true)
  [ -n "$load" ] && [ "$load" != not-found ] || fail "no service $unit"
  start_type=$(systemctl is-enabled -- "$unit" 2>/dev/null || true)
  if systemctl is-active --quiet -- "$unit"; then running=true; else running=false; fi
  systemctl stop -- "$unit" || fail "could not stop $unit"
  case "$start_type" in
  enabled | enabled-runtime) systemctl disable -- "$unit" || fail "stopped $unit but could not disable it" ;;
  esac
  echo "Stopped and disabled $unit (was ${start_type:-unknown}, running: $running)"
  echo "{\"serviceName\":$(json "$unit"),\"startType\":\"$start_type\",\"wasRunning\":\"$running\",\"platform\":\"Linux\"}"
  ;;
undo)
  case "$AC_START_TYPE" in
  enabled | enabled-runtime) systemctl enable -- "$unit" || fail "could not enable $unit" ;;
  esac
  if [ "$AC_WAS_RUNNING" = true ]; then systemctl start -- "$unit" || fail "could not start $unit"; fi
  echo "Restored $unit (${AC_START_TYPE:-unknown}, running: $AC_WAS_RUNNING)"
  echo "{\"serviceName\":$(json "$unit"),\"startType\":\"$AC_START_TYPE\",\"wasRunning\":\"$AC_WAS_RUNNING\",\"platform\":\"Linux\"}"
  ;;
*) fail "unknown operation $AC_OPERATION" ;;
esac
