"""One run of bench/code_tune.py (trained without the validation files, so it has seen
neither split) scored on both held-out splits the way ``rnnscope eval`` scores the test
files: bits per character and, for each signal, the best |r| over the units of tanh(c<t>)
and a<t>. It separates what the files do to a unit's |r| from what the seed does.

    OPENBLAS_NUM_THREADS=1 python bench/code_tune.py --steps 8000 --seed S --save RUN.npz
    OPENBLAS_NUM_THREADS=1 python bench/code_splits.py RUN.npz [RUN.npz ...]

One JSON line per run. Do not choose settings with it: the test split is read.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from code_tune import validation_task            # noqa: E402
from rnncore.runs import load_run                # noqa: E402
from rnncore.tasks import make_task              # noqa: E402
from rnncore.tasks.code import _cells            # noqa: E402

SHOWN = ("depth", "text", "string", "comment", "indent")


def main():
    splits = (("validation", validation_task()), ("test", make_task("code")))
    for path in sys.argv[1:]:
        model, row = load_run(path).make_model(), {"run": path}
        for name, task in splits:
            bpc, corr = task.read_heldout(model)
            cells = _cells(corr)
            row[name] = {"bits_per_char": round(bpc, 4), **{s: round(abs(cells[s]["r"]), 4) for s in SHOWN}}
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
