"""Build the Teams app package: `python -m adapters.teams.package` -> dist/symbiose-teams.zip.

The zip holds manifest.json (with your bot's Microsoft App ID filled in), the
two icons and the French texts (fr.json: the prompt starters in French), at its
root, as Teams expects for sideloading or the admin center.
The App ID comes from `--app-id` or MICROSOFT_APP_ID (environment or .env).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = REPO_ROOT / "deploy" / "teams"
DEFAULT_OUT = REPO_ROOT / "dist" / "symbiose-teams.zip"
ICONS = ("color.png", "outline.png")
# Translations of the manifest's texts (prompt starters included), by language file.
LANGUAGE_FILES = ("fr.json",)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


class PackageError(ValueError):
    """The package cannot be built (missing file, bad App ID)."""


def manifest_for(app_id: str, source: Path = SOURCE_DIR, *, version: str | None = None) -> dict:
    if not _GUID.match(app_id):
        raise PackageError(f"the Microsoft App ID must be a GUID, got {app_id!r}")
    try:
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PackageError(f"no manifest.json in {source}") from exc
    for bot in manifest.get("bots", []):
        bot["botId"] = app_id
    for extension in manifest.get("composeExtensions", []):
        extension["botId"] = app_id
    if version:
        manifest["version"] = version
    return manifest


def build(app_id: str, out: Path = DEFAULT_OUT, *, source: Path = SOURCE_DIR,
          version: str | None = None) -> Path:
    manifest = manifest_for(app_id, source, version=version)
    missing = [name for name in ICONS if not (source / name).is_file()]
    if missing:
        raise PackageError(f"missing icon(s) in {source}: {', '.join(missing)} "
                           "(python -m adapters.teams.icons writes them)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for name in ICONS:
            archive.write(source / name, arcname=name)
        for language in manifest.get("localizationInfo", {}).get("additionalLanguages", []):
            name = language["file"]
            if name not in LANGUAGE_FILES or not (source / name).is_file():
                raise PackageError(f"the manifest names a language file {name!r} not in {source}")
            archive.write(source / name, arcname=name)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m adapters.teams.package", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--app-id", help="the bot's Microsoft App ID (default: MICROSOFT_APP_ID)")
    parser.add_argument("--version", help="app version to write in the manifest (e.g. 0.2.0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    app_id = args.app_id
    if not app_id:
        from dotenv import load_dotenv

        from bot.kernel.settings import Settings

        load_dotenv(override=False)
        app_id = Settings.from_env().microsoft_app_id
    if not app_id:
        print(
            "package: set MICROSOFT_APP_ID or pass --app-id (the Azure Bot's App ID)",
            file=sys.stderr,
        )
        return 2
    try:
        path = build(app_id, args.out, version=args.version)
    except PackageError as exc:
        print(f"package: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
