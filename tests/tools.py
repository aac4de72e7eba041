"""The machine tools some tests drive: Chromium for the browser tests, poppler for reading the PDFs
back, the Noto CJK fonts the PDFs and pages are set in. A missing tool fails the test that needs it
with what to install — it never skips, so ``make test`` cannot pass on a machine that did not run them."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

CHROMIUM = "/usr/bin/chromium"
# The PDF body is set in Noto Serif CJK SC (templates/documents/_base.html), the pages in Noto Sans CJK.
CJK_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
APT = "apt-get install chromium poppler-utils fonts-noto-cjk fonts-noto-cjk-extra"


def require_chromium(path: str = CHROMIUM) -> str:
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: the browser tests need Debian's Chromium ({APT}).", pytrace=False)
    return path


def require_tool(name: str) -> str:
    """The path of a command-line tool (pdftotext, pdftoppm, pdffonts …), or fail."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing (poppler-utils): the PDF tests read documents back with it ({APT}).",
                    pytrace=False)
    return found


def installed_font_families() -> str:
    fc_list = require_tool_quietly("fc-list")
    return subprocess.run([fc_list, ":", "family"], capture_output=True, check=True, text=True).stdout


def require_tool_quietly(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing (fontconfig): cannot tell whether the CJK fonts are installed ({APT}).",
                    pytrace=False)
    return found


def require_cjk_fonts() -> None:
    families = installed_font_families()
    missing = [f for f in CJK_FONTS if f not in families]
    if missing:
        pytest.fail(f"font {', '.join(missing)} is missing: documents and pages would print boxes ({APT}).",
                    pytrace=False)
