"""`advocacy teams-package --app-id …`: the Teams app package (.zip) to upload, with the app id filled in.

The package is `manifest.json`, `color.png` and `outline.png` at the root of a zip, built from
manifests/teams/. The manifest's `id` and the bot's `botId` both become the Azure Bot's Microsoft
App ID (one app, one bot: the simplest thing an admin can upload). The bot's `commandLists` (the
menu in the compose box) come from the command registry: every command declared with `menu=`, its
first English words as the title and its catalog `menu` line as the description, personal chats for
DIRECT and teams and group chats for CHANNEL. Each additional language of the manifest's
`localizationInfo` (Polish: `pl.json`) gets its own file in the package: the app's name and
descriptions from manifests/teams/<file>, and every menu command's title (its first words in that
language) and description (its catalog `menu` line, else its `help` line and usage in that language),
keyed by JSON path into the manifest (`bots[0].commandLists[0].commands[3].title`).
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
from bot.i18n import Translator
from bot.models import ConversationKind
from bot.registry import CommandDecl

MANIFESTS = Path(__file__).resolve().parents[2] / "manifests" / "teams"
FILES = ("manifest.json", "color.png", "outline.png")
GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.\-]+)?$")
ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # fixed, so the same input gives the same bytes
TITLE, DESCRIPTION = 32, 128  # a menu command's limits (v1.29)


SCOPES = ((registry.DIRECT, ["personal"]), (registry.CHANNEL, ["team", "groupChat"]))


class PackageError(ValueError):
    pass


def menu_line(decl: CommandDecl, kind: ConversationKind, lang: str) -> str:
    """The command's description in a menu: its `menu` line, else its help line (with its usage when
    it takes arguments) in `lang`, else the English `menu` line."""
    found = entry(decl.name, lang)
    menu = found.get("menu")
    if menu:
        return str(menu[kind.value] if isinstance(menu, dict) else menu)
    if found.get("help"):
        line = f"{found['help']}: {found['usage']}" if decl.args and found.get("usage") else str(found["help"])
        return Translator(lang)("menu.admins", line=line) if decl.help == registry.ADMIN else line[:1].upper() + line[1:]
    return menu_line(decl, kind, "en")


def command_lists(lang: str = "en") -> list[dict[str, Any]]:
    """The compose-box menus: the commands declared for each kind of conversation, in help order."""
    lists = []
    for kind, scopes in SCOPES:
        commands = []
        for decl in registry.ordered():
            if kind in decl.menu:
                words = words_of(decl.name, lang) or words_of(decl.name, "en")
                commands.append({"title": " ".join(words[0])[:TITLE], "description": menu_line(decl, kind, lang)[:DESCRIPTION]})
        lists.append({"scopes": scopes, "commands": commands})
    return lists


def localization(lang_file: str, lang: str, source: Path = MANIFESTS) -> dict[str, str]:
    """An additional language's file: the app's texts as written, and the menus from the catalog."""
    texts: dict[str, str] = json.loads((source / lang_file).read_text(encoding="utf-8"))
    for i, command_list in enumerate(command_lists(lang)):
        for j, command in enumerate(command_list["commands"]):
            for field in ("title", "description"):
                texts[f"bots[0].commandLists[{i}].commands[{j}].{field}"] = command[field]
    return texts


def additional_languages(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(file, language) of each additional language, e.g. ("pl.json", "pl")."""
    info = manifest.get("localizationInfo") or {}
    return [(extra["file"], extra["languageTag"].split("-")[0].lower())
            for extra in info.get("additionalLanguages", [])]


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
    files = {"manifest.json": as_json(manifest)}
    files.update((name, (source / name).read_bytes()) for name in FILES if name != "manifest.json")
    files.update((name, as_json(localization(name, lang, source))) for name, lang in additional_languages(manifest))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out


def as_json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode() + b"\n"


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
