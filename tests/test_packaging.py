"""Desktop integration and packaging files: one id everywhere, valid files, icons from the SVG."""

import configparser
import importlib.util
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kneelog import __version__
from kneelog.app import APP_ID

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return dict(parser["Desktop Entry"])


def validate(tool: list[str], path: Path) -> subprocess.CompletedProcess:
    if not shutil.which(tool[0]):
        pytest.skip(f"{tool[0]} is not installed (Debian: desktop-file-utils, appstream)")
    return subprocess.run([*tool, str(path)], capture_output=True, text=True, timeout=60)


def test_one_reverse_dns_id_everywhere():
    entry = desktop_entry(DESKTOP)
    assert entry["Icon"] == APP_ID
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.find("launchable").text == DESKTOP.name
    assert f'APP_ID = "{APP_ID}"' in (PACKAGING / "kneelog.spec").read_text()
    assert load_script("install_desktop").APP_ID == APP_ID


def test_the_launcher_runs_kneelog_in_a_window():
    entry = desktop_entry(DESKTOP)
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "kneelog"  # install-desktop points it at the installed one
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "kneelog"  # Qt's WM_CLASS for applicationName "kneelog"


def test_metainfo_describes_this_version_and_shows_the_committed_screenshots():
    component = ET.parse(METAINFO).getroot()
    releases = component.find("releases").findall("release")
    assert releases[0].get("version") == __version__, "add a <release> for the new version"
    images = [image.text for image in component.iter("image")]
    assert images
    for url in images:
        assert url.startswith("https://")
        assert (ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[1]).is_file(), url
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in re.findall(r"docs/screenshots/[\w-]+\.png", readme):
        assert (ROOT / path).is_file(), path


def test_desktop_file_validates():
    result = validate(["desktop-file-validate"], DESKTOP)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


def test_metainfo_validates():
    result = validate(["appstreamcli", "validate", "--no-net"], METAINFO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_icons_are_the_svg_drawn_at_each_size(qapp):
    icons = load_script("make_icons")
    shipped = sorted(icons.FOLDER.glob("kneelog-*.png"))
    assert [icons.icon_path(size) for size in sorted(icons.SIZES)] == sorted(
        shipped, key=lambda p: int(p.stem.rpartition("-")[2])
    )
    for size in icons.SIZES:
        image = QImage(str(icons.icon_path(size))).convertToFormat(QImage.Format.Format_ARGB32)
        assert (image.width(), image.height()) == (size, size)
        fresh = icons.render(size)
        worst = max(
            abs(image.pixelColor(x, y).alpha() - fresh.pixelColor(x, y).alpha())
            + abs(image.pixelColor(x, y).red() - fresh.pixelColor(x, y).red())
            for x in range(0, size, max(1, size // 32))
            for y in range(0, size, max(1, size // 32))
        )
        assert worst <= 8, f"resources/kneelog.svg changed: run `make icons` ({size} px)"


def test_install_desktop_writes_a_launcher_for_the_installed_kneelog(tmp_path):
    install = load_script("install_desktop")
    program = tmp_path / 'my "apps"' / "kneelog"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    prefix = tmp_path / "home" / ".local"
    assert install.main(["--prefix", str(prefix), "--exec", str(program)]) == 0
    share = prefix / "share"
    launcher = share / "applications" / DESKTOP.name
    entry = desktop_entry(launcher)
    # Quoted, with " escaped, then the backslashes escaped again as the value is a string.
    assert entry["Exec"] == '"' + str(program).replace('"', '\\\\"') + '"'
    assert {k: v for k, v in entry.items() if k != "Exec"} == {
        k: v for k, v in desktop_entry(DESKTOP).items() if k != "Exec"
    }
    assert (share / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (share / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    for size in (16, 32, 48, 64, 128, 256):
        assert (share / f"icons/hicolor/{size}x{size}/apps" / f"{APP_ID}.png").is_file()
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(launcher)], capture_output=True, text=True
        )
        assert result.returncode == 0 and "error" not in result.stdout.lower(), result.stdout

    assert install.main(["--prefix", str(prefix), "--uninstall"]) == 0
    assert not launcher.exists()
    assert not list(share.rglob(f"{APP_ID}.*"))


def test_install_desktop_refuses_a_kneelog_that_is_not_there(tmp_path, capsys):
    install = load_script("install_desktop")
    assert install.main(["--prefix", str(tmp_path), "--exec", str(tmp_path / "nothing")]) == 1
    assert "make dist" in capsys.readouterr().err
    assert not (tmp_path / "share").exists()


def test_one_licence_in_pyproject_the_metainfo_and_the_license_file():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("project_license") == project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    for pattern in project["license-files"]:
        assert list(ROOT.glob(pattern)), pattern
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]  # SPDX says it
