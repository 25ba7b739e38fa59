# Shared by every Windows document of the Action Center. The document sets the $AC_* parameters
# above this, each single-quoted and checked against its allowedPattern.
$ErrorActionPreference = 'Stop'
$AC_QUARANTINE_ROOT = Join-Path $env:ProgramData 'ActionCenter\Quarantine'

# A refusal or failure: the reason on stderr, exit 1 (the command becomes Failed).
function Fail([string]$Reason) {
  [Console]::Error.WriteLine("actioncenter: $Reason")
  exit 1
}

# The record of what changed, as the output's last line (the action's result detail).
function Write-Record([hashtable]$Record) {
  $Record.platform = 'Windows'
  Write-Output ($Record | ConvertTo-Json -Compress)
}

# The action's own folder in the quarantine, readable by SYSTEM and Administrators only.
function Get-QuarantineFolder {
  $dir = Join-Path $AC_QUARANTINE_ROOT $AC_ACTION_ID
  New-Item -ItemType Directory -Force -Path $dir | Out-Null
  & icacls.exe $AC_QUARANTINE_ROOT /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'Administrators:(OI)(CI)F' | Out-Null
  if ($LASTEXITCODE -ne 0) { Fail "could not lock down $AC_QUARANTINE_ROOT" }
  return $dir
}
