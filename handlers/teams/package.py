"""`advocacy teams-package --app-id …`: the Teams app package (.zip) to upload, with the app id filled in.

The package is `manifest.json`, `color.png` and `outline.png` at the root of a zip, built from
manifests/teams/. The manifest's `id` and the bot's `botId` both become the Azure Bot's Microsoft
App ID (one app, one bot: the simplest thing an admin can upload). The bot's `commandLists` (the
menu in the compose box) come from the command registry: every command declared with `menu=`, its
first English words as the title and its catalog `menu` line as the description, personal chats for
DIRECT and teams and group chats for CHANNEL.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

from bot import registry
from bot.commands import entry, words_of

MANIFESTS = Path(__file__).resolve().parents[2] / "manifests" / "teams"
FILES = ("manifest.json", "color.png", "outline.png")
GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.\-]+)?$")
ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # fixed, so the same input gives the same bytes


SCOPES = ((registry.DIRECT, ["personal"]), (registry.CHANNEL, ["team", "groupChat"]))


class PackageError(ValueError):
    pass


def command_lists() -> list[dict[str, Any]]:
    """The compose-box menus: the commands declared for each kind of conversation, in help order."""
    lists = []
    for kind, scopes in SCOPES:
        commands = []
        for decl in registry.ordered():
            if kind in decl.menu:
                menu = entry(decl.name, "en")["menu"]
                commands.append({"title": " ".join(words_of(decl.name, "en")[0]),
                                 "description": menu[kind.value] if isinstance(menu, dict) else menu})
        lists.append({"scopes": scopes, "commands": commands})
    return lists


def manifest_for(app_id: str, *, version: str | None = None, source: Path = MANIFESTS,
                 developer: str | None = None, website: str | None = None) -> dict[str, Any]:
    app_id = app_id.strip()
    if not GUID.match(app_id):
        raise PackageError(f"--app-id must be the bot's Microsoft App ID, a GUID like "
                           f"00000000-0000-0000-0000-000000000000 (got {app_id[:60]!r})")
    manifest: dict[str, Any] = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest["id"] = app_id
    for bot in manifest.get("bots", []):
        bot["botId"] = app_id
        bot["commandLists"] = command_lists()
    if version is not None:
        if not SEMVER.match(version):
            raise PackageError(f"--version must be semver such as 1.0.1 (got {version!r})")
        manifest["version"] = version
    if developer:
        manifest["developer"]["name"] = developer[:32]
    if website:
        if not website.startswith("https://"):
            raise PackageError("--website must be an https:// address")
        base = website.rstrip("/")
        manifest["developer"].update(websiteUrl=base, privacyUrl=f"{base}/privacy", termsOfUseUrl=f"{base}/terms")
    return manifest


def build_package(app_id: str, out: Path, *, version: str | None = None, source: Path = MANIFESTS,
                  developer: str | None = None, website: str | None = None) -> Path:
    """Write the upload zip and return its path (`out` may be a directory or a .zip path)."""
    manifest = manifest_for(app_id, version=version, source=source, developer=developer, website=website)
    out = Path(out)
    if out.is_dir() or not out.suffix:
        out = out / f"advocacy-teams-{app_id.strip()[:8]}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            data = (json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n" if name == "manifest.json"
                    else (source / name).read_bytes())
            archive.writestr(info, data)
    return out


def register_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("teams-package", help="write the Teams app package (.zip) to upload")
    parser.add_argument("--app-id", required=True, help="the Azure Bot's Microsoft App ID (MICROSOFT_APP_ID)")
    parser.add_argument("--out", default=".", help="a directory or a .zip path (default: here)")
    parser.add_argument("--version", help="the app version, semver (bump it for every upload)")
    parser.add_argument("--developer", help="the developer name shown in Teams")
    parser.add_argument("--website", help="https:// address of your program page (privacy and terms under it)")
    parser.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    try:
        path = build_package(args.app_id, Path(args.out), version=args.version, developer=args.developer,
                             website=args.website)
    except PackageError as exc:
        print(f"advocacy: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {path}: upload it in Teams (Apps › Manage your apps › Upload an app) or in the Teams admin centre.")
    return 0
