"""The lesson player inside the main window (app/window/lessons.py): Help › Lessons opens a
non-modal dock, each of the player's requests acts on the dashboard, the answer is computed
off the GUI thread, the language is remembered, a missing Chinese font is said in words."""
from test_main_window import settings, window  # noqa: F401 - the same window fixture (worker process)

from app.window import lessons as wl
from rnncore.lessons import lesson


def help_lessons(win):
    help_menu = next(a.menu() for a in win._menu_bar.actions() if a.text() == "&Help")
    return next(a for a in help_menu.actions() if "Lessons" in a.text())


def test_help_lessons_opens_the_player_beside_the_dashboard(window, qtbot):
    help_lessons(window).trigger()
    p = window.lessons.player
    assert p is not None and window.lessons.dock.isVisible() and not window.lessons.dock.isFloating()
    assert window.isEnabled()                           # nothing modal: the dashboard stays usable
    window.lessons.highlight("loss")
    assert "f08c00" in window.lessons.dock_for("loss").styleSheet()
    qtbot.waitUntil(lambda: window.lessons.dock_for("loss").styleSheet() == "", timeout=5000)
    window.lessons.highlight("gradients")               # the lessons' name of the gradient-norm dock
    assert window.lessons.dock_for("gradients").objectName() == "dock_gradnorm"


def test_preset_cursor_phase_and_answer_act_on_the_window(window, qtbot):
    p = window.lessons.open(2)
    preset = lesson(2).preset
    p.apply.click()                                     # preset_requested → a run of the preset's task
    assert window.task.name == preset.task and window.model_config.hidden_size == preset.model["hidden_size"]
    qtbot.waitUntil(lambda: window.step >= 5 and window.state.trace is not None, timeout=20000)
    window.worker.pause()
    p.cursor_requested.emit(3)
    assert window.state.cursor == 2
    p.phase_requested.emit("clip")                      # pauses, the cell diagram shows the clip phase
    diagram = next(x for x in window.panels if x.object_id == "cell")
    qtbot.waitUntil(lambda: diagram.phase is not None and diagram.phase.name == "clip", timeout=20000)
    assert not window.worker.playing
    p.ask.click()                                       # answered off the GUI thread, then shown
    qtbot.waitUntil(lambda: p.answer.text() not in ("", "…"), timeout=20000)
    assert "{" not in p.answer.text()


def test_answer_before_training_says_what_to_do(window):
    p = window.lessons.open(1)
    p.ask.click()
    assert p.answer.text() == p._ui("no_state")


def test_lang_flag_is_remembered_and_overrides(settings):
    assert wl.chosen_lang(settings, None) == "en"
    assert wl.chosen_lang(settings, "zh_CN") == "zh_CN"
    assert wl.chosen_lang(settings, None) == "zh_CN"
    assert wl.chosen_lang(settings, "en") == "en"


def test_missing_cjk_font_names_the_package(window, monkeypatch):
    monkeypatch.setattr(wl, "has_cjk_font", lambda: False)
    assert "fonts-noto-cjk" in wl.missing_font_message("zh_CN") and wl.missing_font_message("en") == ""
    window.lessons.open(1, "zh_CN")
    assert "fonts-noto-cjk" in window.banner.text() and "google-noto-sans-cjk-ttc-fonts" in window.banner.text()
    assert window.lessons.player.lang == "en"           # English words rather than boxes
    assert window.settings.value("lang") == "zh_CN"     # the choice itself stays


def test_unit_inspector_starts_the_number_units_run(window):
    units = next(p for p in window.panels if p.object_id == "units")
    units.preset.click()
    assert window.task.name == "agreement" and window.task.mode == "lm"
    assert window.model_config.cell == "lstm" and window.model_config.hidden_size == 128
    assert units.rank_by.currentData() == "ablation"
