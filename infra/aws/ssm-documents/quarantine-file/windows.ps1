# quarantineFile (Windows): moves the file into a quarantine folder only SYSTEM and Administrators
# can read, recording its path and sha256; undo moves it back if it is still the same file.
$dir = Join-Path $AC_QUARANTINE_ROOT $AC_ACTION_ID
$record = Join-Path $dir 'record.json'
if ($AC_OPERATION -eq 'execute') {
  if (Test-Path -LiteralPath $record) { Get-Content -LiteralPath $record -Raw; exit 0 }
  if (-not (Test-Path -LiteralPath $AC_PATH -PathType Leaf)) { Fail "$AC_PATH is not a file" }
  $hash = (Get-FileHash -LiteralPath $AC_PATH -Algorithm SHA256).Hash.ToLowerInvariant()
  if ($AC_SHA256 -and $hash -ne $AC_SHA256) { Fail "$AC_PATH has sha256 $hash, not $AC_SHA256 as in the alert: not quarantined" }
  $dir = Get-QuarantineFolder
  Move-Item -LiteralPath $AC_PATH -Destination (Join-Path $dir 'file')
  $line = @{ path = $AC_PATH; sha256 = $hash; quarantinedAs = (Join-Path $dir 'file'); platform = 'Windows' } | ConvertTo-Json -Compress
  Set-Content -LiteralPath $record -Value $line
  Write-Output "Quarantined $AC_PATH"
  Write-Output $line
} elseif ($AC_OPERATION -eq 'undo') {
  $file = Join-Path $dir 'file'
  if (-not (Test-Path -LiteralPath $file)) { Fail "nothing is quarantined for $AC_ACTION_ID" }
  if (Test-Path -LiteralPath $AC_PATH) { Fail "$AC_PATH exists again: not overwritten" }
  $hash = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant()
  if ($hash -ne $AC_SHA256) { Fail "the quarantined file has sha256 $hash, not the recorded $AC_SHA256" }
  New-Item -ItemType Directory -Force -Path (Split-Path -Parent $AC_PATH) | Out-Null
  Move-Item -LiteralPath $file -Destination $AC_PATH
  Remove-Item -LiteralPath $dir -Recurse -Force
  Write-Output "Restored $AC_PATH"
  Write-Record @{ path = $AC_PATH; sha256 = $hash }
} else { Fail "unknown operation $AC_OPERATION" }
