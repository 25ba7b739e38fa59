# disableDriver (Windows): sets the driver's service Disabled and stops it, recording its start
# mode; undo sets the recorded start mode back and starts it if it ran.
$driver = Get-CimInstance Win32_SystemDriver -Filter "Name = '$AC_DRIVER_NAME'"
if (-not $driver) { Fail "no driver $AC_DRIVER_NAME" }
$modes = @{ Boot = 'boot'; System = 'system'; Auto = 'auto'; Manual = 'demand'; Disabled = 'disabled' }
if ($AC_OPERATION -eq 'execute') {
  & sc.exe config $AC_DRIVER_NAME start= disabled | Out-Null
  if ($LASTEXITCODE -ne 0) { Fail "could not disable $AC_DRIVER_NAME (sc.exe exit $LASTEXITCODE)" }
  $running = [string]($driver.State -eq 'Running')
  if ($driver.State -eq 'Running') { & sc.exe stop $AC_DRIVER_NAME | Out-Null }
  Write-Output "Disabled driver $AC_DRIVER_NAME (was $($driver.StartMode); a driver that cannot stop is gone after a restart)"
  Write-Record @{ driverName = $AC_DRIVER_NAME; startType = [string]$driver.StartMode; wasRunning = $running.ToLowerInvariant() }
} elseif ($AC_OPERATION -eq 'undo') {
  $mode = $modes[$AC_START_TYPE]
  if (-not $mode) { Fail "no recorded start mode for $AC_DRIVER_NAME" }
  & sc.exe config $AC_DRIVER_NAME start= $mode | Out-Null
  if ($AC_WAS_RUNNING -eq 'true') { & sc.exe start $AC_DRIVER_NAME | Out-Null }
  Write-Output "Restored driver $AC_DRIVER_NAME ($AC_START_TYPE)"
  Write-Record @{ driverName = $AC_DRIVER_NAME; startType = $AC_START_TYPE; wasRunning = $AC_WAS_RUNNING }
} else { Fail "unknown operation $AC_OPERATION" }
