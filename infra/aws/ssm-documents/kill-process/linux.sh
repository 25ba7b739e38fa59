# killProcess (Linux): kills the process only if its pid, start time (within 2 s) and image path
# all match the alert's: a pid reused by another process is never killed.
case "$AC_OPERATION" in
execute) ;;
*) fail "a killed process cannot be brought back" ;;
esac
stat_file="/proc/$AC_PID/stat"
[ -r "$stat_file" ] || fail "no process $AC_PID: it has ended"
# Field 22 (start time in clock ticks after boot), counted after the command name's last ')'.
ticks=$(sed 's/^.*) //' "$stat_file" | cut -d' ' -f20)
boot=$(sed -n 's/^btime //p' /proc/stat)
started=$((boot + ticks / $(getconf CLK_TCK)))
expected=$(date -u -d "$AC_START_TIME" +%s) || fail "unreadable start time $AC_START_TIME"
drift=$((started - expected))
if [ "$drift" -gt 2 ] || [ "$drift" -lt -2 ]; then
  fail "process $AC_PID started at $(date -u -d "@$started" +%Y-%m-%dT%H:%M:%SZ), not $AC_START_TIME: the pid was reused, not killed"
fi
image=$(readlink "/proc/$AC_PID/exe" || true)
image=${image% (deleted)}
wanted=$(readlink -f -- "$AC_PATH" 2>/dev/null || printf '%s' "$AC_PATH")
[ "$image" = "$wanted" ] || [ "$image" = "$AC_PATH" ] ||
  fail "process $AC_PID runs ${image:-an unknown image}, not $AC_PATH: not killed"
kill -KILL "$AC_PID"
for _ in 1 2 3 4 5 6 7 8 9 10; do
  state=$(sed 's/^.*) //' "$stat_file" 2>/dev/null | cut -d' ' -f1) || break
  [ -n "$state" ] && [ "$state" != Z ] || break
  sleep 0.5
done
echo "Killed process $AC_PID ($image)"
echo "{\"pid\":$AC_PID,\"startTime\":\"$AC_START_TIME\",\"path\":$(json "$image"),\"platform\":\"Linux\"}"
