"""Installs kneelog's desktop integration for the current user: the .desktop launcher, the
AppStream metainfo and the icons, under ~/.local/share (or --prefix/share).

    python packaging/install_desktop.py [--exec PATH] [--prefix DIR] [--uninstall]

The launcher runs --exec: by default the bundle built by `make dist` if there is one, else the
kneelog of the project's virtual environment, else the kneelog on PATH. `make install-desktop`
runs this script. Freedesktop only (Linux and the BSDs); Windows and macOS keep an app's icon
inside its bundle.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.kneelog.Kneelog"
DESKTOP = ROOT / "packaging" / f"{APP_ID}.desktop"
METAINFO = ROOT / "packaging" / f"{APP_ID}.metainfo.xml"
SVG = ROOT / "resources" / "kneelog.svg"
ICONS = ROOT / "resources" / "icons"


def default_exec() -> Path | None:
    for candidate in (ROOT / "dist" / "kneelog" / "kneelog", ROOT / ".venv" / "bin" / "kneelog"):
        if candidate.is_file():
            return candidate
    found = shutil.which("kneelog")
    return Path(found) if found else None


def exec_value(program: Path) -> str:
    """The Exec= value that runs `program`, quoted as the Desktop Entry spec asks."""
    text = str(program)
    if not any(c in text for c in " \t\n\"'\\><~|&;$*?#()`="):
        return text
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in text)
    return f'"{escaped}"'.replace("\\", "\\\\")  # the key's value is itself an escaped string


def desktop_entry(program: Path) -> str:
    lines = DESKTOP.read_text(encoding="utf-8").splitlines()
    return "".join(
        (f"Exec={exec_value(program)}" if line.startswith("Exec=") else line) + "\n"
        for line in lines
    )


def targets(share: Path) -> dict[Path, Path | None]:
    """Each installed file and where it comes from (None: written, not copied)."""
    files: dict[Path, Path | None] = {
        share / "applications" / DESKTOP.name: None,
        share / "metainfo" / METAINFO.name: METAINFO,
        share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": SVG,
    }
    for png in sorted(ICONS.glob("kneelog-*.png")):
        size = png.stem.rpartition("-")[2]
        files[share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = png
    return files


def refresh_caches(share: Path) -> None:
    """Tell the desktop; the tools are optional and their absence changes nothing that matters."""
    for command in (
        ["update-desktop-database", "-q", str(share / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", str(share / "icons" / "hicolor")],
    ):
        if shutil.which(command[0]):
            subprocess.run(command, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--prefix",
        type=Path,
        default=Path.home() / ".local",
        help="install under PREFIX/share (default ~/.local)",
    )
    parser.add_argument("--exec", dest="program", type=Path, help="the kneelog the launcher runs")
    parser.add_argument("--uninstall", action="store_true", help="remove what this installed")
    args = parser.parse_args(argv)
    share = args.prefix / "share"
    if args.uninstall:
        for target in targets(share):
            target.unlink(missing_ok=True)
        refresh_caches(share)
        print(f"Removed kneelog's launcher, metainfo and icons from {share}.")
        return 0
    program = args.program or default_exec()
    if program is None or not program.is_file():
        print(
            "kneelog is not installed: run `make dist` (or `make run` once) first, "
            "or name it with --exec PATH.",
            file=sys.stderr,
        )
        return 1
    program = program.resolve()
    for target, source in targets(share).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is None:
            target.write_text(desktop_entry(program), encoding="utf-8")
        else:
            shutil.copyfile(source, target)
    refresh_caches(share)
    print(f"Installed kneelog's launcher (running {program}), metainfo and icons under {share}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
