# stopService (Windows): stops the service and sets it Disabled, recording its start type and
# whether it ran; undo sets the recorded start type back and starts it if it ran.
$service = Get-Service -Name $AC_SERVICE_NAME -ErrorAction SilentlyContinue
if (-not $service) { Fail "no service $AC_SERVICE_NAME" }
if ($AC_OPERATION -eq 'execute') {
  $startType = [string]$service.StartType
  $running = [string]($service.Status -eq 'Running')
  Stop-Service -Name $AC_SERVICE_NAME -Force
  Set-Service -Name $AC_SERVICE_NAME -StartupType Disabled
  Write-Output "Stopped and disabled $AC_SERVICE_NAME (was $startType)"
  Write-Record @{ serviceName = $AC_SERVICE_NAME; startType = $startType; wasRunning = $running.ToLowerInvariant() }
} elseif ($AC_OPERATION -eq 'undo') {
  if (-not $AC_START_TYPE) { Fail "no recorded start type for $AC_SERVICE_NAME" }
  if ($AC_START_TYPE -eq 'AutomaticDelayedStart') {
    & sc.exe config $AC_SERVICE_NAME start= delayed-auto | Out-Null
  } else {
    Set-Service -Name $AC_SERVICE_NAME -StartupType $AC_START_TYPE
  }
  if ($AC_WAS_RUNNING -eq 'true') { Start-Service -Name $AC_SERVICE_NAME }
  Write-Output "Restored $AC_SERVICE_NAME ($AC_START_TYPE)"
  Write-Record @{ serviceName = $AC_SERVICE_NAME; startType = $AC_START_TYPE; wasRunning = $AC_WAS_RUNNING }
} else { Fail "unknown operation $AC_OPERATION" }
