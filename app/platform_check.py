"""Can Qt's platform plugin load here? Asked before the window is created.

On a fresh Debian desktop Qt's X11 plugin (xcb) needs libraries that PySide6's wheel
does not carry (libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, ...); Qt then aborts
with a hint that names the wrong one. Here the plugin's own dependencies are listed
with ``ldd`` (without loading anything into this process) and the missing ones are
named with the packages that provide them, for apt and for dnf, in one line.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: shared library → (Debian/Ubuntu package, Fedora package)
PACKAGES = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
}
for _name in ("randr", "render", "shape", "shm", "sync", "xfixes", "xkb", "xinput", "glx", "present", "dri3"):
    _so = f"libxcb-{_name}.so.{1 if _name in ('sync', 'xkb') else 0}"
    PACKAGES.setdefault(_so, (f"libxcb-{_name}{1 if _name in ('sync', 'xkb') else 0}", "libxcb"))
PACKAGES.setdefault("libxcb.so.1", ("libxcb1", "libxcb"))


def packages_for(libs: list[str]) -> tuple[list[str], list[str]]:
    """(apt packages, dnf packages) providing ``libs``; an unknown library is named as is."""
    apt, dnf = [], []
    for lib in libs:
        a, d = PACKAGES.get(lib, (lib, lib))
        apt += [a] if a not in apt else []
        dnf += [d] if d not in dnf else []
    return apt, dnf


def missing_libraries(plugin: Path) -> list[str] | None:
    """Libraries ``plugin`` needs that the dynamic loader cannot find (None: could not tell)."""
    try:
        out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line]


def platform_name() -> str | None:
    """The platform Qt will use: QT_QPA_PLATFORM's first choice, else xcb on an X11 desktop
    (None on Wayland sessions and other systems: nothing to check)."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    return "xcb"


def plugin_path(platform: str) -> Path | None:
    import importlib.util
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        p = Path(base) / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
        if p.exists():
            return p
    return None


def missing_platform_message() -> str | None:
    """One line naming what to install when Qt's platform plugin cannot load; None if it can
    (or this system is not one where it can be checked)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = platform_name()
    if platform is None:
        return None
    plugin = plugin_path(platform)
    if plugin is None:
        return None
    libs = missing_libraries(plugin)
    if libs:
        apt, dnf = packages_for(libs)
        return (f"Qt's {platform} platform plugin cannot load: {', '.join(libs)} missing. Install with "
                f"'sudo apt install {' '.join(apt)}' (Debian, Ubuntu) or 'sudo dnf install {' '.join(dnf)}' (Fedora)")
    if platform == "xcb" and not os.environ.get("DISPLAY"):
        return ("no display to open the window on (DISPLAY is not set); for pictures without a screen "
                "use QT_QPA_PLATFORM=offscreen rnnscope --screenshot out.png")
    return None
