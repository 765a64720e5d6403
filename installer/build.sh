#!/usr/bin/env bash
# Build the one-folder bundle (PyInstaller) and prove it works: --self-test, size, cold start.
# Linux / CI. On Windows use installer/build.ps1, which also makes the installer. See installer/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
"$PY" -m pip install -q -r installer/requirements-build.txt
"$PY" -m pip install -q .          # the app's own dependencies, as pinned in pyproject.toml

rm -rf build/pyinstaller dist/shuangsuiji
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level ERROR \
  --distpath dist --workpath build/pyinstaller installer/shuangsuiji.spec
# Strip debug symbols from Qt, Python and extension modules (about 40 MB), but not from the
# auditwheel-repaired libraries in *.libs/ folders, which stripping breaks.
if command -v strip >/dev/null 2>&1; then
  find dist/shuangsuiji/_internal -type f -name '*.so*' -not -path '*.libs/*' \
    -exec strip --strip-unneeded {} + 2>/dev/null || true
fi
# Qt's ICU data (31 MB, Linux only) shrunk to what the app uses; --self-test checks the pinyin sort.
icudata=$(ls dist/shuangsuiji/_internal/PySide6/Qt/lib/libicudata.so.* 2>/dev/null | head -n 1 || true)
if [ -n "$icudata" ] && command -v cc >/dev/null 2>&1; then
  "$PY" installer/trim_icu.py "$icudata"
elif [ -n "$icudata" ]; then
  echo "ICU data not trimmed: no C compiler (cc) to build the smaller library (the bundle is ~26 MB larger)"
fi
echo "build: $(( $(date +%s) - start )) s"

export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# The proof: the frozen program opens a database, renders a notice and an export, exits 0.
dist/shuangsuiji/shuangsuiji --self-test

echo "bundle size: $(du -sh dist/shuangsuiji | cut -f1)"
# Cold start to the main window on a fresh data folder (first start creates the database),
# then a second start on the same folder.
data=$(mktemp -d)
SSJ_DATA_DIR="$data" SSJ_EXIT_AFTER_SHOW="$(date +%s.%N)" dist/shuangsuiji/shuangsuiji 2>/dev/null
SSJ_DATA_DIR="$data" SSJ_EXIT_AFTER_SHOW="$(date +%s.%N)" dist/shuangsuiji/shuangsuiji 2>/dev/null
rm -rf "$data"
