# removeRegistryKey (Windows): exports the key (reg export) into the quarantine folder, then deletes
# it; undo re-imports the export. A path naming a value exports its key and deletes the value.
$dir = Join-Path $AC_QUARANTINE_ROOT $AC_ACTION_ID
$export = Join-Path $dir 'key.reg'
if ($AC_OPERATION -eq 'execute') {
  if (Test-Path -LiteralPath (Join-Path $dir 'record.json')) { Get-Content -LiteralPath (Join-Path $dir 'record.json') -Raw; exit 0 }
  $key = $AC_KEY_PATH; $value = $null
  & reg.exe query $key 2>$null | Out-Null
  if ($LASTEXITCODE -ne 0) {
    $key = Split-Path -Parent $AC_KEY_PATH; $value = Split-Path -Leaf $AC_KEY_PATH
    & reg.exe query $key /v $value 2>$null | Out-Null
    if ($LASTEXITCODE -ne 0) { Fail "no registry key or value $AC_KEY_PATH" }
  }
  $dir = Get-QuarantineFolder
  & reg.exe export $key $export /y | Out-Null
  if ($LASTEXITCODE -ne 0) { Fail "could not export $key`: nothing deleted" }
  if ($value) { & reg.exe delete $key /v $value /f | Out-Null } else { & reg.exe delete $key /f | Out-Null }
  if ($LASTEXITCODE -ne 0) { Fail "exported $key but could not delete $AC_KEY_PATH" }
  $line = @{ keyPath = $AC_KEY_PATH; exportedTo = $export; platform = 'Windows' } | ConvertTo-Json -Compress
  Set-Content -LiteralPath (Join-Path $dir 'record.json') -Value $line
  Write-Output "Exported and deleted $AC_KEY_PATH"
  Write-Output $line
} elseif ($AC_OPERATION -eq 'undo') {
  if (-not (Test-Path -LiteralPath $export)) { Fail "nothing was exported for $AC_ACTION_ID" }
  & reg.exe import $export | Out-Null
  if ($LASTEXITCODE -ne 0) { Fail "could not import $export" }
  Remove-Item -LiteralPath $dir -Recurse -Force
  Write-Output "Re-imported $AC_KEY_PATH"
  Write-Record @{ keyPath = $AC_KEY_PATH }
} else { Fail "unknown operation $AC_OPERATION" }
