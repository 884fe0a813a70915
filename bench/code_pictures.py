"""README's pictures of the ``code`` task: the text view (app/insight/unit_text.py) of a
saved run, with the best unit for a signal on the held-out files, rendered offscreen.

    rnnscope train --task code --out RUN.npz            # the defaults, seed 0
    python bench/code_pictures.py RUN.npz depth docs/screenshots/code_depth.png --t 121
    python bench/code_pictures.py RUN.npz text docs/screenshots/code_text.png --t 121

The unit is the one "Rank on held-out files" picks (largest |r| of tanh(c<t>) with the
signal); the example is the task's display example; --t puts the time cursor there.
"""
import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PySide6.QtWidgets import QApplication        # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("signal")
    ap.add_argument("out")
    ap.add_argument("--t", type=int, default=1, help="time step of the cursor (1-based)")
    ap.add_argument("--size", default="1400x700")
    a = ap.parse_args()
    app = QApplication.instance() or QApplication(["rnnscope"])
    from app.gui import configure_app
    from app.insight.unit_text import UnitTextPanel, ranking_job
    from app.state import DashboardState
    from rnncore.runs import load_run
    configure_app(app)
    run = load_run(a.run)
    task = run.make_task()
    example = task.display_example()
    state = DashboardState()
    state.reset_run(task, run.model_config, run.train_config, example)
    state.set_trace(run.make_model().trace(example, with_gradients=False), example)
    state.set_weights(run.weights)
    panel = UnitTextPanel(state)
    panel.resize(*map(int, a.size.split("x")))
    panel.show()
    panel.redraw()
    panel._ranked(0, ranking_job(task, run.model_config, run.weights, run.train_config.seed))
    panel.signal.setCurrentIndex(panel.signal.findData(a.signal))
    state.set_cursor(a.t - 1)
    end = time.monotonic() + 120
    while panel.untrained is None and time.monotonic() < end:     # the untrained model's values
        app.processEvents()
        time.sleep(0.02)
    panel._show()
    app.processEvents()
    panel.grab().save(a.out)
    print(f"{a.out}: {panel.note.text()}")


if __name__ == "__main__":
    main()
