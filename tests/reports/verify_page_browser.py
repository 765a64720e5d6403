"""Drives the public verifier page (resources/verifier/verify.html) in headless Chromium, without any network.

The page is copied into a harness file with a test script appended: the script hands each case to
the page exactly as a dropped file would arrive (SSJVerifier.handleFiles with File objects), waits
for the verdict and copies what the page shows (verdict, message, summary, table) into a <pre>.
``chromium --headless --dump-dom`` then prints the page, and the results are read back from it.
"""
from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "resources" / "verifier" / "verify.html"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
          "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"]

_RUNNER = """
<script>
(async function () {
  // Headless Chromium's virtual time jumps to the end of its budget (and dumps the page) as soon as the
  // page looks idle, even while WebCrypto or FileReader work is pending; a ticking timer keeps it honest.
  var keepAlive = setInterval(function () {}, 5);
  var out = [];
  function bytes(c) {
    if (c.b64 !== undefined) { return Uint8Array.from(atob(c.b64), function (ch) { return ch.charCodeAt(0); }); }
    return c.text;
  }
  function texts(selector) {
    return Array.from(document.querySelectorAll(selector)).map(function (e) { return e.textContent; });
  }
  try {
    for (var c of window.SSJ_CASES) {
      window.SSJVerifier.reset();
      window.SSJVerifier.usePlainSha256(!!c.plain);
      document.getElementById("hash-input").value = c.hash || "";
      var files = (c.files || [c]).map(function (f) { return new File([bytes(f)], f.name); });
      var api = c.api && c.text !== undefined
        ? await window.SSJVerifier.verifyText(c.text, c.hash || "", c.announcementText || null,
                                              c.replacedText || null) : null;
      if (c.via === "drop") {  // a real drop event, as the browser fires it when a file is dropped
        var dt = new DataTransfer();
        files.forEach(function (f) { dt.items.add(f); });
        document.getElementById("drop-zone").dispatchEvent(
          new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
      } else if (c.via === "pick") {  // the file chooser's answer
        var chosen = new DataTransfer();
        files.forEach(function (f) { chosen.items.add(f); });
        var input = document.getElementById("file-input");
        input.files = chosen.files;
        input.dispatchEvent(new Event("change"));
      } else {
        window.SSJVerifier.handleFiles(files);
      }
      await window.SSJVerifier.idle();
      out.push({
        verdict: document.getElementById("verdict").textContent,
        message: document.getElementById("message").textContent,
        summary: texts("#summary dt").map(function (t, k) { return [t, texts("#summary dd")[k]]; }),
        table: Array.from(document.querySelectorAll("#picks-table tbody tr")).map(function (tr) {
          return Array.from(tr.cells).map(function (td) { return td.textContent; });
        }),
        note: document.getElementById("table-note").textContent,
        batch: Array.from(document.querySelectorAll("#batch-table tbody tr")).map(function (tr) {
          return Array.from(tr.cells).map(function (td) { return td.textContent; });
        }),
        api: api
      });
    }
    var extra = window.SSJ_EXTRA ? await window.SSJ_EXTRA() : null;
    out = {cases: out, extra: extra};
  } catch (e) {
    out = {error: String(e && e.stack || e)};
  }
  var pre = document.createElement("pre");
  pre.id = "ssj-test-results";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
  clearInterval(keepAlive);
})();
</script>
"""


def find_chromium() -> str | None:
    """The Chromium (or Chrome) binary: SSJ_CHROMIUM, else the first of the usual names on PATH."""
    named = os.environ.get("SSJ_CHROMIUM")
    if named:
        return named
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _js_literal(value) -> str:
    # json.dumps with ensure_ascii keeps the text ASCII (lone surrogates survive as \\ud800 escapes);
    # "</" is escaped so no case text can close the <script> element.
    return json.dumps(value, ensure_ascii=True).replace("</", "<\\/")


def case(name: str, data: str | bytes, *, hash: str = "", plain: bool = False, api: bool = False,
         also: list[tuple[str, str | bytes]] = (), via: str = "") -> dict:
    """One file (or several) dropped on the page; bytes are passed through exactly (e.g. invalid UTF-8)."""
    def file(fname, content):
        if isinstance(content, bytes):
            return {"name": fname, "b64": base64.b64encode(content).decode("ascii")}
        return {"name": fname, "text": content}

    result = file(name, data)
    result.update(hash=hash, plain=plain, api=api, via=via)
    if also:
        result["files"] = [file(name, data)] + [file(n, c) for n, c in also]
        result["announcementText"] = next((c for n, c in also if "公告" in n and isinstance(c, str)), None)
        result["replacedText"] = next((c for n, c in also if "被替代" in n and isinstance(c, str)), None)
    return result


def harness(cases: list[dict], extra_js: str = "", page_file: Path = PAGE) -> str:
    """The page's own HTML with the cases and the runner appended before </body>."""
    page = page_file.read_text(encoding="utf-8")
    setup = f"<script>window.SSJ_CASES = {_js_literal(cases)};\n{extra_js}</script>"
    head, tail = page.rsplit("</body>", 1)
    return head + setup + _RUNNER + "</body>" + tail


def run_cases(cases: list[dict], *, extra_js: str = "", page_file: Path = PAGE, timeout: float = 120) -> dict:
    """Open the harness in headless Chromium and return {"cases": [...], "extra": ...} as the page reported."""
    browser = find_chromium()
    assert browser, "no Chromium binary"
    with tempfile.TemporaryDirectory(prefix="ssj-verify-page-") as tmp:
        page = Path(tmp) / "harness.html"
        page.write_text(harness(cases, extra_js, page_file), encoding="utf-8")
        proc = subprocess.run(
            [browser, *_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", "--virtual-time-budget=600000",
             "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=timeout, check=False)
    match = re.search(r'<pre id="ssj-test-results">(.*?)</pre>', proc.stdout, re.S)
    assert match, f"the page reported nothing (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    result = json.loads(html.unescape(match.group(1)))
    assert "error" not in result, result.get("error")
    return result


def screenshot(cases: list[dict], target: Path, size: str = "1366,768", timeout: float = 60) -> Path:
    """A PNG of the page after the cases ran (the last case stays on screen)."""
    browser = find_chromium()
    assert browser, "no Chromium binary"
    with tempfile.TemporaryDirectory(prefix="ssj-verify-shot-") as tmp:
        page = Path(tmp) / "harness.html"
        # The results <pre> is hidden so the shot shows what a visitor sees.
        hide = "<style>#ssj-test-results{display:none}</style></head>"
        page.write_text(harness(cases, "").replace("</head>", hide, 1), encoding="utf-8")
        subprocess.run([browser, *_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                        "--virtual-time-budget=600000", f"--window-size={size}", f"--screenshot={target}",
                        page.as_uri()], capture_output=True, timeout=timeout, check=False)
    return target
