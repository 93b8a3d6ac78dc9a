"""The Teams manifest is code: its command menus are built from the command registry (at most 12 per
scope), it follows the v1.29 rules, its icons are the right PNGs, and `advocacy teams-package` zips it
with the app id filled in."""
import json
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from bot.commands import index, parse, words_of
from bot.errors import UserFacingError
from bot.i18n import fold
from bot.models import Message
from bot.registry import CHANNEL, COMMANDS, DIRECT, MEMBER, MENU_LIMIT, ordered
from bot.services.help import listed
from handlers.teams.package import MANIFESTS, PackageError, build_package, manifest_for
from tests.fakes.commands import throwaway_command
from tests.conftest import ROOT

APP_ID = "3f2b8c1e-9d4a-4e6b-8f00-1234567890ab"
SOURCE = json.loads((MANIFESTS / "manifest.json").read_text(encoding="utf-8"))
MANIFEST = manifest_for(SOURCE["id"])  # as built, with the placeholder id
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def commands(scope: str | None = None) -> list[dict]:
    return [c for lst in MANIFEST["bots"][0]["commandLists"] if scope is None or scope in lst["scopes"]
            for c in lst["commands"]]


def command_name(title: str) -> str:
    """What the bot makes of a command title clicked in Teams' menu (some need an argument)."""
    try:
        return parse(title).name
    except UserFacingError as exc:
        assert exc.key in ("error.missing_args", "error.unexpected_args"), f"{title!r}: {exc.key}"
        words = tuple(fold(title).split())
        return next(name for form, name in index().forms[words[0]] if form == words[:len(form)])


def test_every_command_in_the_manifest_has_a_handler_in_the_command_language():
    for command in commands():
        name = command_name(command["title"])
        assert name in COMMANDS, command["title"]


def test_personal_scope_lists_help_and_every_member_command():
    names = [command_name(c["title"]) for c in commands("personal")]
    assert names[0] == "help"
    assert sorted(names[1:]) == sorted(listed(MEMBER))


def test_each_menu_is_the_commands_declared_for_it_and_has_at_most_twelve():
    assert "commandLists" not in SOURCE["bots"][0], "built from the registry, not written by hand"
    for kind, scope in ((DIRECT, "personal"), (CHANNEL, "team")):
        titles = [c["title"] for c in commands(scope)]
        assert [command_name(title) for title in titles] == [d.name for d in ordered() if kind in d.menu]
        assert len(titles) <= MENU_LIMIT
    assert commands("team") == commands("groupChat")


def test_a_command_declared_for_the_menu_appears_in_the_package_with_its_catalog_description():
    async def hello(turn):
        return Message("hi")

    with throwaway_command("test.hello", "", hello, menu=(CHANNEL,), en={"words": ["hello"], "menu": "Say hello"},
                           pl={"words": ["cześć"]}):
        built = manifest_for(APP_ID)["bots"][0]["commandLists"]
    team = next(lst["commands"] for lst in built if "team" in lst["scopes"])
    assert team[-1] == {"title": "hello", "description": "Say hello"}
    assert {"title": "hello", "description": "Say hello"} not in commands("team")


def test_the_manifest_follows_the_v1_29_rules():
    assert MANIFEST["manifestVersion"] == "1.29"
    assert MANIFEST["$schema"].endswith("/teams/v1.29/MicrosoftTeams.schema.json")
    for key in ("manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"):
        assert key in MANIFEST, key
    assert re.match(r"^\d+\.\d+\.\d+$", MANIFEST["version"])
    assert GUID.match(MANIFEST["id"])
    assert len(MANIFEST["name"]["short"]) <= 30 and len(MANIFEST["name"].get("full", "")) <= 100
    assert len(MANIFEST["description"]["short"]) <= 80 and len(MANIFEST["description"]["full"]) <= 4000
    assert re.match(r"^#[0-9a-fA-F]{6}$", MANIFEST["accentColor"])
    developer = MANIFEST["developer"]
    assert len(developer["name"]) <= 32
    assert all(developer[k].startswith("https://") for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl"))
    bots = MANIFEST["bots"]
    assert len(bots) == 1 and GUID.match(bots[0]["botId"])
    assert set(bots[0]["scopes"]) <= {"personal", "team", "groupChat"}
    lists = bots[0]["commandLists"]
    assert len(lists) <= 3
    for command_list in lists:
        assert set(command_list["scopes"]) <= set(bots[0]["scopes"])
        assert 1 <= len(command_list["commands"]) <= 12
        for command in command_list["commands"]:
            assert set(command) <= {"title", "description"}
            assert len(command["title"]) <= 32 and len(command.get("description", "")) <= 128
    assert MANIFEST["validDomains"] == [], "only domains we control; the bot needs none"
    assert set(MANIFEST.get("permissions", [])) <= {"identity", "messageTeamMembers"}


def read_png(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, colour type, raw pixel rows) of a non-interlaced 8-bit PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, chunks = 8, {}
    idat = b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"IDAT":
            idat += body
        chunks[kind] = body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and interlace == 0
    return width, height, colour, zlib.decompress(idat)


def test_the_icons_are_192_and_32_pixel_pngs_and_the_outline_is_white_on_transparent():
    width, height, _, _ = read_png(MANIFESTS / MANIFEST["icons"]["color"])
    assert (width, height) == (192, 192)
    width, height, colour, raw = read_png(MANIFESTS / MANIFEST["icons"]["outline"])
    assert (width, height, colour) == (32, 32, 6), "RGBA"
    stride = 1 + 32 * 4
    pixels = [raw[r * stride + 1 + c * 4: r * stride + 5 + c * 4] for r in range(32) for c in range(32)]
    assert all(raw[r * stride] == 0 for r in range(32)), "unfiltered rows"
    alphas = [p[3] for p in pixels]
    assert alphas.count(0) > 32 * 32 // 2, "mostly transparent"
    assert all(p[:3] == b"\xff\xff\xff" for p in pixels if p[3]), "white only"


def test_the_package_has_its_files_at_its_root_with_the_app_id_filled_in(tmp_path):
    path = build_package(APP_ID, tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png", "pl.json"]
        manifest = json.loads(archive.read("manifest.json"))
        assert archive.read("color.png") == (MANIFESTS / "color.png").read_bytes()
        assert archive.read("outline.png") == (MANIFESTS / "outline.png").read_bytes()
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert "00000000-0000-0000-0000-000000000000" not in json.dumps(manifest)
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    again = build_package(APP_ID, tmp_path / "again.zip")
    assert again.read_bytes() == path.read_bytes(), "the same input gives the same package"


def test_the_package_refuses_an_app_id_that_is_not_a_guid_and_takes_a_version(tmp_path):
    with pytest.raises(PackageError):
        build_package("my-bot", tmp_path)
    with pytest.raises(PackageError):
        manifest_for(APP_ID, version="two")
    assert manifest_for(APP_ID, version="1.0.7")["version"] == "1.0.7"
    website = manifest_for(APP_ID, website="https://advocacy.example.org/")["developer"]
    assert website["privacyUrl"] == "https://advocacy.example.org/privacy"


def test_advocacy_teams_package_writes_the_zip(tmp_path):
    result = subprocess.run([sys.executable, "-m", "entry.cli", "teams-package", "--app-id", APP_ID, "--out",
                             str(tmp_path / "teams.zip")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "teams.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == APP_ID
    bad = subprocess.run([sys.executable, "-m", "entry.cli", "teams-package", "--app-id", "nope"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "GUID" in bad.stderr


# Keys a localization file may have (MicrosoftTeams.Localization.schema.json, the parts this app uses).
LOCALIZABLE = re.compile(r"^(\$schema|name\.short|name\.full|description\.short|description\.full|"
                         r"bots\[0\]\.commandLists\[[0-2]\]\.commands\[([0-9]|1[0-1])\]\.(title|description))$")
REQUIRED_LOCALIZED = ("name.short", "description.short", "description.full")


def at_path(document, key: str):
    """The value at a localization key's JSON path (`bots[0].commandLists[1].commands[2].title`)."""
    value = document
    for part in key.split("."):
        name, *positions = re.findall(r"[^\[\]]+", part)
        value = value[name]
        for position in positions:
            value = value[int(position)]
    return value


def polish_file(tmp_path) -> tuple[dict, dict]:
    with zipfile.ZipFile(build_package(APP_ID, tmp_path)) as archive:
        return json.loads(archive.read("manifest.json")), json.loads(archive.read("pl.json"))


def test_the_package_carries_a_polish_localization_named_in_the_manifest(tmp_path):
    with zipfile.ZipFile(build_package(APP_ID, tmp_path)) as archive:
        assert "pl.json" in archive.namelist()
    assert MANIFEST["localizationInfo"] == {"defaultLanguageTag": "en",
                                            "additionalLanguages": [{"languageTag": "pl", "file": "pl.json"}]}


def test_every_polish_key_is_a_localizable_path_into_the_manifest(tmp_path):
    manifest, polish = polish_file(tmp_path)
    assert polish["$schema"].endswith("/teams/v1.29/MicrosoftTeams.Localization.schema.json")
    assert all(key in polish for key in REQUIRED_LOCALIZED)
    for key, text in polish.items():
        assert LOCALIZABLE.match(key), key
        if key != "$schema":
            assert isinstance(at_path(manifest, key), str), key
            assert text.strip(), key
    assert len(polish["name.short"]) <= 30 and len(polish["description.short"]) <= 80
    assert polish["description.full"] != manifest["description"]["full"]


def test_every_menu_command_has_a_polish_title_the_bot_understands_and_a_polish_description(tmp_path):
    manifest, polish = polish_file(tmp_path)
    for i, command_list in enumerate(manifest["bots"][0]["commandLists"]):
        for j, command in enumerate(command_list["commands"]):
            title = polish[f"bots[0].commandLists[{i}].commands[{j}].title"]
            description = polish[f"bots[0].commandLists[{i}].commands[{j}].description"]
            name = command_name(command["title"])
            assert command_name(title) == name, title
            assert title == " ".join(words_of(name, "pl")[0]), f"{name}: not its Polish words"
            assert len(title) <= 32 and len(description) <= 128
            assert description != command["description"], f"{title}: no Polish description"
    assert polish["bots[0].commandLists[0].commands[1].title"] == "dołącz"
