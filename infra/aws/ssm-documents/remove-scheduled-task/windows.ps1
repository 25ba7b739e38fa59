# removeScheduledTask (Windows): exports the task's XML into the quarantine folder, then
# unregisters it; undo registers the exported XML again.
$dir = Join-Path $AC_QUARANTINE_ROOT $AC_ACTION_ID
$export = Join-Path $dir 'task.xml'
$path = Split-Path -Parent $AC_TASK_NAME
$taskPath = if ($path) { "$path\" } else { '\' }
$name = Split-Path -Leaf $AC_TASK_NAME
if ($AC_OPERATION -eq 'execute') {
  if (Test-Path -LiteralPath (Join-Path $dir 'record.json')) { Get-Content -LiteralPath (Join-Path $dir 'record.json') -Raw; exit 0 }
  $task = Get-ScheduledTask -TaskPath $taskPath -TaskName $name -ErrorAction SilentlyContinue
  if (-not $task) { Fail "no scheduled task $AC_TASK_NAME" }
  $dir = Get-QuarantineFolder
  Export-ScheduledTask -TaskPath $taskPath -TaskName $name | Set-Content -LiteralPath $export -Encoding Unicode
  Unregister-ScheduledTask -TaskPath $taskPath -TaskName $name -Confirm:$false
  $line = @{ taskName = $AC_TASK_NAME; exportedTo = $export; platform = 'Windows' } | ConvertTo-Json -Compress
  Set-Content -LiteralPath (Join-Path $dir 'record.json') -Value $line
  Write-Output "Exported and unregistered $AC_TASK_NAME"
  Write-Output $line
} elseif ($AC_OPERATION -eq 'undo') {
  if (-not (Test-Path -LiteralPath $export)) { Fail "nothing was exported for $AC_ACTION_ID" }
  Register-ScheduledTask -TaskPath $taskPath -TaskName $name -Xml (Get-Content -LiteralPath $export -Raw) | Out-Null
  Remove-Item -LiteralPath $dir -Recurse -Force
  Write-Output "Registered $AC_TASK_NAME again"
  Write-Record @{ taskName = $AC_TASK_NAME }
} else { Fail "unknown operation $AC_OPERATION" }
