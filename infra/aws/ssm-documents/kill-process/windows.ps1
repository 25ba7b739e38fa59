# killProcess (Windows): kills the process only if its pid, creation time (within 2 s) and image
# path all match the alert's: a pid reused by another process is never killed.
if ($AC_OPERATION -ne 'execute') { Fail 'a killed process cannot be brought back' }
$process = Get-CimInstance Win32_Process -Filter "ProcessId = $([int]$AC_PID)"
if (-not $process) { Fail "no process $AC_PID`: it has ended" }
$expected = [DateTimeOffset]::Parse($AC_START_TIME, [Globalization.CultureInfo]::InvariantCulture)
$started = [DateTimeOffset]$process.CreationDate
if ([Math]::Abs(($started - $expected).TotalSeconds) -gt 2) {
  Fail "process $AC_PID started at $($started.ToUniversalTime().ToString('o')), not $AC_START_TIME`: the pid was reused, not killed"
}
if ($process.ExecutablePath -ne $AC_PATH) { Fail "process $AC_PID runs $($process.ExecutablePath), not $AC_PATH`: not killed" }
Stop-Process -Id $process.ProcessId -Force
Wait-Process -Id $process.ProcessId -Timeout 5 -ErrorAction SilentlyContinue
Write-Output "Killed process $AC_PID ($AC_PATH)"
Write-Record @{ pid = [int]$AC_PID; startTime = $AC_START_TIME; path = $AC_PATH }
