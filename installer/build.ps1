# Build shuangsuiji desk on Windows: the one-folder bundle, its self-test, then the installer.
# Needs: Python 3.11 (64-bit) on PATH or in $env:PYTHON, and Inno Setup 6 (https://jrsoftware.org/isdl.php).
# Run from any folder:  powershell -ExecutionPolicy Bypass -File installer\build.ps1
# (Kept ASCII-only: Windows PowerShell 5.1 reads a .ps1 without BOM in the ANSI code page.)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

$py = if ($env:PYTHON) { $env:PYTHON } else { "python" }
& $py -m pip install -q -r installer\requirements-build.txt
if ($LASTEXITCODE -ne 0) { throw "pip install of the build tools failed" }
& $py -m pip install -q .
if ($LASTEXITCODE -ne 0) { throw "pip install of the app's dependencies failed" }

Remove-Item -Recurse -Force build\pyinstaller, dist\shuangsuiji -ErrorAction SilentlyContinue
& $py -m PyInstaller --noconfirm --log-level ERROR --distpath dist --workpath build\pyinstaller installer\shuangsuiji.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# ssj.exe is the console twin of shuangsuiji.exe (a windowed program cannot print).
& dist\shuangsuiji\ssj.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle's self-test failed" }
$size = (Get-ChildItem dist\shuangsuiji -Recurse | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("bundle size: {0:N0} MB" -f $size)

# The Chinese wizard texts are an unofficial Inno Setup translation: fetch it once.
$isl = "installer\ChineseSimplified.isl"
if (-not (Test-Path $isl)) {
    Invoke-WebRequest -UseBasicParsing -OutFile $isl `
        "https://raw.githubusercontent.com/jrsoftware/issrc/main/Files/Languages/Unofficial/ChineseSimplified.isl"
}

$version = & $py -c "from models.version import __version__; print(__version__)"
$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
if (-not (Test-Path $iscc)) { $iscc = Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $iscc)) { throw "Inno Setup 6 (ISCC.exe) not found; install it from https://jrsoftware.org/isdl.php" }
& $iscc "/DAppVersion=$version" installer\shuangsuiji.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "installer: dist\installer\shuangsuiji-desk-$version-setup.exe"
