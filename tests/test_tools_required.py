"""Issue 13, item 7: a machine without Chromium, poppler or the CJK fonts fails the tests that need
them instead of skipping them (``make test`` green must mean the pages and PDFs were checked)."""

from __future__ import annotations

import pytest

from tests import tools

pytestmark = pytest.mark.smoke


def test_a_missing_chromium_fails_instead_of_skipping(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="Chromium"):
        tools.require_chromium(str(tmp_path / "chromium"))


@pytest.mark.parametrize("name", ["pdftotext", "pdftoppm", "pdffonts"])
def test_a_missing_poppler_tool_fails_instead_of_skipping(monkeypatch, tmp_path, name):
    # given a PATH without poppler
    monkeypatch.setenv("PATH", str(tmp_path))
    # then asking for the tool fails the test, naming the package
    with pytest.raises(pytest.fail.Exception, match="poppler-utils"):
        tools.require_tool(name)


def test_a_missing_cjk_font_fails_instead_of_skipping(monkeypatch):
    # given fontconfig lists no Noto CJK font
    monkeypatch.setattr(tools, "installed_font_families", lambda: "DejaVu Sans\nDejaVu Serif\n")
    with pytest.raises(pytest.fail.Exception, match="Noto Serif CJK SC"):
        tools.require_cjk_fonts()


def test_without_fontconfig_the_fonts_cannot_be_vouched_for(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match="fc-list"):
        tools.require_cjk_fonts()


def test_this_machine_has_every_tool():
    # the machines the suite runs on (developers', CI) have them all
    tools.require_chromium()
    for name in ("pdftotext", "pdftoppm", "pdffonts"):
        tools.require_tool(name)
    tools.require_cjk_fonts()
