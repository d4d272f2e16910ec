"""The Teams app package: valid manifest (vendored v1.24 schema), icons, zip layout."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import jsonschema
import pytest

from adapters.teams import icons, package
from adapters.teams.bot import SEARCH_PARAMETER

SCHEMA = Path(__file__).parent / "schema" / "teams-manifest-1.24.json"
APP_ID = "8d2b2d2e-1111-4222-8333-944455556666"


def png_info(data: bytes) -> tuple[int, int, int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, depth, colour


def test_package_zip_has_a_valid_manifest_and_both_icons(tmp_path: Path) -> None:
    out = package.build(APP_ID, tmp_path / "symbiose-teams.zip", version="1.2.3")
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "fr.json", "manifest.json",
                                              "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        french = json.loads(archive.read("fr.json"))
        assert png_info(archive.read("color.png"))[:2] == (192, 192)
        assert png_info(archive.read("outline.png")) == (32, 32, 8, 6)  # RGBA: transparent
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(manifest)
    assert manifest["version"] == "1.2.3"
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["composeExtensions"][0]["botId"] == APP_ID
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    assert [c["title"] for c in commands] == [
        "Brainstorm a launch", "challenge", "glossary symbiotic AI", "help", "taste", "export",
        "brands", "forget me"]
    # Every prompt starter has its French text, within Teams' limits.
    for i in range(len(commands)):
        title = french[f"bots[0].commandLists[0].commands[{i}].title"]
        description = french[f"bots[0].commandLists[0].commands[{i}].description"]
        assert 0 < len(title) <= 32 and 0 < len(description) <= 128
    assert manifest["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "fr-fr", "file": "fr.json"}]
    params = manifest["composeExtensions"][0]["commands"][0]["parameters"]
    assert [p["name"] for p in params] == [SEARCH_PARAMETER]


def rgba_pixels(png: bytes) -> list[bytes]:
    """The RGBA pixels of one of our PNGs (one IDAT chunk, filter 0 on each row)."""
    width = struct.unpack(">I", png[16:20])[0]
    start = png.index(b"IDAT")
    length = struct.unpack(">I", png[start - 4:start])[0]
    raw = zlib.decompress(png[start + 4:start + 4 + length])
    stride = 1 + width * 4
    rows = [raw[r * stride + 1:(r + 1) * stride] for r in range(len(raw) // stride)]
    return [row[i:i + 4] for row in rows for i in range(0, len(row), 4)]


def test_outline_icon_is_white_on_transparent() -> None:
    pixels = rgba_pixels(icons.outline_png())
    assert len(pixels) == 32 * 32
    assert {p[:3] for p in pixels} == {b"\xff\xff\xff"}
    alphas = [p[3] for p in pixels]
    assert min(alphas) == 0 and max(alphas) == 255


def test_committed_icons_are_the_generated_ones() -> None:
    assert (package.SOURCE_DIR / "color.png").read_bytes() == icons.color_png()
    assert (package.SOURCE_DIR / "outline.png").read_bytes() == icons.outline_png()


@pytest.mark.parametrize("bad", ["", "not-a-guid", "8d2b2d2e11114222833394445555666"])
def test_a_bad_app_id_is_refused(bad: str, tmp_path: Path) -> None:
    with pytest.raises(package.PackageError):
        package.build(bad, tmp_path / "x.zip")


def test_cli_without_app_id_explains(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    assert package.main(["--out", str(tmp_path / "x.zip")]) == 2
    assert "MICROSOFT_APP_ID" in capsys.readouterr().err


def test_the_documented_command_builds_the_zip(tmp_path: Path) -> None:
    out = tmp_path / "app.zip"
    env = {k: v for k, v in os.environ.items() if k != "MICROSOFT_APP_ID"}
    done = subprocess.run(
        [sys.executable, "-m", "adapters.teams.package", "--app-id", APP_ID, "--out", str(out)],
        cwd=package.REPO_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "fr.json", "manifest.json",
                                              "outline.png"]
        assert png_info(archive.read("color.png"))[:2] == (192, 192)
        assert png_info(archive.read("outline.png"))[:2] == (32, 32)
        assert json.loads(archive.read("manifest.json"))["bots"][0]["botId"] == APP_ID


def test_the_schema_check_catches_a_broken_manifest() -> None:
    """The manifest test above could only fail if the schema check can."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    manifest = package.manifest_for(APP_ID)
    manifest["bots"][0]["scopes"] = ["everywhere"]
    del manifest["description"]
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(manifest))
    assert len(errors) == 2
