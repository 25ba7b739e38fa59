# disableDriver (Linux): blacklists the kernel module (it never loads again) and unloads it,
# recording whether it was loaded; undo removes the blacklist and loads it again if it was.
modprobe_dir="${AC_MODPROBE_DIR:-/etc/modprobe.d}"
conf="$modprobe_dir/actioncenter-$AC_DRIVER_NAME.conf"
case "$AC_OPERATION" in
execute)
  if grep -q "^$AC_DRIVER_NAME " /proc/modules 2>/dev/null; then loaded=true; else loaded=false; fi
  mkdir -p -- "$modprobe_dir"
  printf 'blacklist %s\ninstall %s /bin/false\n' "$AC_DRIVER_NAME" "$AC_DRIVER_NAME" >"$conf"
  chmod 644 "$conf"
  if [ "$loaded" = true ] && ! modprobe -r -- "$AC_DRIVER_NAME"; then
    rm -f -- "$conf"
    fail "module $AC_DRIVER_NAME is in use and could not be unloaded: nothing changed"
  fi
  echo "Blacklisted module $AC_DRIVER_NAME in $conf (loaded: $loaded)"
  echo "{\"driverName\":$(json "$AC_DRIVER_NAME"),\"startType\":\"blacklisted\",\"wasRunning\":\"$loaded\",\"platform\":\"Linux\"}"
  ;;
undo)
  rm -f -- "$conf"
  if [ "$AC_WAS_RUNNING" = true ]; then modprobe -- "$AC_DRIVER_NAME" || fail "could not load $AC_DRIVER_NAME"; fi
  echo "Removed the blacklist of $AC_DRIVER_NAME (loaded again: $AC_WAS_RUNNING)"
  echo "{\"driverName\":$(json "$AC_DRIVER_NAME"),\"wasRunning\":\"$AC_WAS_RUNNING\",\"platform\":\"Linux\"}"
  ;;
*) fail "unknown operation $AC_OPERATION" ;;
esac
