"""RNN Scope's Qt application. Only this package imports Qt; rnncore never does.

The app's models are small: one BLAS thread is as fast as two there, and a second
thread only fights the GUI (or, on a shared machine, everything else) for a core —
measured at 27 vs 191 ms per training step under load. Set before NumPy loads;
an explicit setting in the environment wins.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
