"""The check made before the window opens: Qt's platform plugin can load, or one line
says which packages to install (a fresh Debian desktop lacks libxcb-cursor0 & co.)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app import platform_check as pc


@pytest.fixture
def x11(monkeypatch):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(pc.sys, "platform", "linux")


def test_missing_xcb_libraries_name_the_apt_and_dnf_packages(x11, monkeypatch):
    monkeypatch.setattr(pc, "missing_libraries", lambda plugin: ["libxcb-cursor.so.0", "libxcb-icccm.so.4",
                                                                 "libxcb-keysyms.so.1", "libfoo.so.9"])
    msg = pc.missing_platform_message()
    assert "\n" not in msg
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libfoo.so.9" in msg
    assert "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms libfoo.so.9" in msg
    assert "libxcb-cursor.so.0" in msg and "xcb" in msg


def test_missing_library_read_from_ldd(monkeypatch, tmp_path):
    out = ("\tlibxcb-cursor.so.0 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x7f)\n"
           "\tlibxcb-icccm.so.4 => not found\n")
    monkeypatch.setattr(pc.subprocess, "run", lambda *a, **k: SimpleNamespace(stdout=out))
    assert pc.missing_libraries(tmp_path / "libqxcb.so") == ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]


def test_this_machines_plugins_load(x11):
    """The real check, on this machine's PySide6: xcb's and offscreen's libraries are all found."""
    if pc.plugin_path("xcb") is None:
        pytest.skip("PySide6 has no xcb plugin here")
    assert pc.missing_libraries(pc.plugin_path("xcb")) == []
    assert pc.missing_platform_message() is None


def test_no_display_and_wayland_and_offscreen(x11, monkeypatch):
    monkeypatch.setattr(pc, "missing_libraries", lambda plugin: [])
    monkeypatch.delenv("DISPLAY")
    assert "DISPLAY is not set" in pc.missing_platform_message()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert pc.missing_platform_message() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert pc.platform_name() == "offscreen" and pc.missing_platform_message() is None


def test_the_window_is_not_opened_when_the_plugin_cannot_load(x11, monkeypatch, capsys):
    from app import cli
    monkeypatch.setattr(pc, "missing_libraries", lambda plugin: ["libxcb-cursor.so.0"])
    monkeypatch.setattr(pc, "plugin_path", lambda platform: "libqxcb.so")
    assert cli.main(["--task", "names"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "libxcb-cursor0" in err and "xcb-util-cursor" in err
