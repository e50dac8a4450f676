"""Rebuild the site's bundled font (`make fonts`): Vazirmatn's variable font, subset to the Arabic script.

Reproducible: the input is one pinned npm tarball, checked against its sha256; the
subset keeps synd.publish.webfont.UNICODE_RANGES with every OpenType layout feature
(joining forms, mark positioning, ligatures) and the font's own name and
timestamps, so the same tarball and fontTools give the same bytes. Writes the
WOFF2 and the font's OFL licence text (with its copyright line) into
shared/synd/publish/assets/fonts/, which are committed: tests and CI use those and
never run this.

The tarball: --tarball PATH, else out/fonts/vazirmatn-33.0.3.tgz, else (run by hand,
with network) `npm pack vazirmatn@33.0.3` downloads it there. --check rebuilds in
memory and exits 1 when the committed files differ.

Usage: .venv/bin/python tools/fonts.py [--tarball PATH] [--check]
"""
from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tarfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from synd.publish import webfont

PACKAGE = "vazirmatn"
VERSION = webfont.FONT_VERSION  # 33.0.3
TARBALL_SHA256 = "9506e9e6a27e62b353c04a136c27de0cc3aa9e434658b45a6363f7c98c357090"
FONT_MEMBER = "package/fonts/variable/Vazirmatn[wght].ttf"
LICENCE_MEMBER = "package/OFL.txt"
FULL_WOFF2_MEMBER = "package/fonts/webfonts/Vazirmatn[wght].woff2"  # what a site would serve without the subset

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "shared" / "synd" / "publish" / "assets" / "fonts"
DOWNLOADS = REPO / "out" / "fonts"


def tarball(given: Path | None) -> bytes:
    """The pinned tarball's bytes: the given file, the cached download, or `npm pack` (by hand only)."""
    path = given or DOWNLOADS / f"{PACKAGE}-{VERSION}.tgz"
    if not path.exists():
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(DOWNLOADS)],
                       check=True, stdout=subprocess.DEVNULL)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(f"{path}: sha256 {digest}, expected {TARBALL_SHA256} ({PACKAGE} {VERSION})")
    return data


def members(data: bytes) -> tuple[bytes, bytes, bytes]:
    """The variable TTF, the licence text and the package's own full variable WOFF2 from the tarball."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        return _read(archive, FONT_MEMBER), _read(archive, LICENCE_MEMBER), _read(archive, FULL_WOFF2_MEMBER)


def _read(archive: tarfile.TarFile, name: str) -> bytes:
    member = archive.extractfile(name)
    if member is None:
        sys.exit(f"{name} is not a file in the {PACKAGE} tarball")
    return member.read()


def subset_woff2(ttf: bytes) -> bytes:
    """The font cut down to the Arabic-script blocks, as WOFF2."""
    options = subset.Options()
    options.layout_features = ["*"]  # init/medi/fina/rlig/mark/mkmk...: Arabic needs them all
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.flavor = "woff2"
    font = TTFont(io.BytesIO(ttf), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(",".join(webfont.UNICODE_RANGES)))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out, reorderTables=True)
    return out.getvalue()


def build(given: Path | None) -> dict[Path, bytes]:
    ttf, licence, full = members(tarball(given))
    woff2 = subset_woff2(ttf)
    print(f"{PACKAGE} {VERSION}: variable TTF {len(ttf)} bytes, the package's full WOFF2 {len(full)} bytes, "
          f"Arabic-script subset WOFF2 {len(woff2)} bytes ({1 - len(woff2) / len(full):.0%} less)")
    return {ASSETS / webfont.FONT_KEY.rsplit("/", 1)[1]: woff2,
            ASSETS / webfont.LICENCE_KEY.rsplit("/", 1)[1]: licence}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"the {PACKAGE}-{VERSION}.tgz from npm")
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args()
    files = build(args.tarball)
    if args.check:
        stale = [path for path, data in files.items() if not path.exists() or path.read_bytes() != data]
        for path in stale:
            print(f"differs: {path.relative_to(REPO)}")
        return 1 if stale else 0
    ASSETS.mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(REPO)} ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
