"""What the file-hardening tests share (tests/test_hardening_*.py): hypothesis settings, a
scratch directory, the watchdog, the checks every refusal must pass, and a valid run file.

Every file the app reads (corpora, labelled-sequence TSV files, run files, PyTorch weights
files), valid and damaged (truncated, bit-flipped, wrong shapes and dtypes, altered
metadata, huge declared dimensions), must either load into something usable or raise the
module's own error (a ValueError subclass whose message names the file). Never another
exception, never a hang (a watchdog per test), never a half-changed model, and nothing in a
file is ever executed (no pickle anywhere).
"""
from __future__ import annotations

import atexit
import faulthandler
import io
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import strategies as st

from rnncore import Batch, ModelConfig, TrainConfig
from rnncore.runs import save_run
from rnncore.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]
#: no per-example deadline (a timing assert that fails on a loaded machine); a hang is caught
#: by the watchdog instead
COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
              derandomize=False, database=None)
TMP = Path(tempfile.mkdtemp(prefix="rnnscope-hardening-"))
atexit.register(shutil.rmtree, TMP, True)          # the files are for this run only


@pytest.fixture(autouse=True)
def watchdog():
    """A test that hangs dumps every thread's stack and ends the run (no silent stall).
    Autouse in every module that imports it."""
    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def write(name: str, data: bytes) -> Path:
    p = TMP / name
    p.write_bytes(data)
    return p


def names_file(err: Exception, path) -> None:
    assert isinstance(err, ValueError)
    assert str(path) in str(err), f"the message does not name the file: {err}"


def npz(arrays: dict, compressed=False) -> bytes:
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    return buf.getvalue()


def meta_bytes(meta) -> np.ndarray:
    return np.frombuffer(json.dumps(meta).encode("utf-8"), np.uint8)


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-3, 10**12), st.floats(allow_nan=False),
                                     st.text(max_size=6)),
                           lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                           max_leaves=6)

bad_arrays = st.one_of(
    st.tuples(st.integers(0, 5), st.integers(0, 13)).map(lambda s: np.ones(s)),                # wrong shape
    st.sampled_from([np.int64, np.int8, np.bool_, np.complex128, np.float16, np.uint8, "U3", "S2"]).map(
        lambda dt: np.zeros((4, 12), dt)),                                                     # wrong dtype
    st.sampled_from([np.nan, np.inf, -np.inf]).map(lambda v: np.full((4, 12), v)),             # non-finite
    st.just(np.float64(3.0)), st.just(np.zeros((0,))), st.just(np.zeros((3, 12, 1))),
)

# a small trained run and its file
CFG = ModelConfig(cell="gru", vocab_size=3, hidden_size=4, shape="many-to-one", output="softmax", output_size=2)
_x = np.random.default_rng(0).integers(0, 3, (16, 5))
DATA = Batch(_x, (_x[:, 0] == 1).astype(np.intp))


def trained(steps=3, seed=1):
    tr = Trainer.create(CFG, TrainConfig(seed=seed, batch_size=4), DATA)
    for _ in tr.run(steps):
        pass
    return tr


VALID_RUN = save_run(TMP / "valid.npz", trained()).read_bytes()
VALID_ARRAYS = dict(np.load(io.BytesIO(VALID_RUN), allow_pickle=False))
VALID_META = json.loads(VALID_ARRAYS["__meta__"].tobytes())
