"""Reading and writing the user's files safely: regular files only, sizes checked before
anything is read, atomic writes that respect the umask and name the user's path.

A FIFO would block a read forever, ``/dev/zero`` (or a symlink to it) never ends, a
sparse 3 GB file costs no disk but 3 GB of memory once read: each is refused here,
from its ``stat``, before a byte is read. Every problem is a :class:`FileProblem`
(a ValueError) whose message names the file.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
import zipfile
from pathlib import Path


class FileProblem(ValueError):
    """A file cannot be read or written; ``problem`` says why, in words."""

    def __init__(self, path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"{path}: {problem}")


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n / 2**10:,.1f} KiB"


def check_regular(path, max_bytes: int | None = None) -> int:
    """The size of ``path`` if it is a readable regular file (symlinks followed) of at
    most ``max_bytes``; else FileProblem saying what it is instead."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileProblem(path, "no such file") from None
    except NotADirectoryError:
        raise FileProblem(path, "no such file (a part of the path is not a directory)") from None
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror or e})") from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise FileProblem(path, "is a directory, not a file")
    if stat.S_ISFIFO(mode):
        raise FileProblem(path, "is a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise FileProblem(path, "is a device, not a regular file")
    if not stat.S_ISREG(mode):
        raise FileProblem(path, "is not a regular file")
    if not os.access(path, os.R_OK):
        raise FileProblem(path, "cannot be read (permission denied)")
    if max_bytes is not None and st.st_size > max_bytes:
        raise FileProblem(path, f"is {mib(st.st_size)}, over the limit of {mib(max_bytes)}; refused before reading")
    return st.st_size


def read_bytes(path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (never more are read)."""
    check_regular(path, max_bytes)
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:          # it grew since the check
        raise FileProblem(path, f"is over the limit of {mib(max_bytes)}; refused")
    return data


#: The arrays of a .npz may be compressed: once uncompressed they may not exceed this many
#: bytes *and* this many times the file's size, or a 2 MB file could fill the memory
#: (a zip bomb). Files written by np.savez are not compressed, so the ratio is ~1.
NPZ_INFLATION_FLOOR = 64 << 20
NPZ_MAX_INFLATION = 50


def npz_size_problem(path, max_total: int | None = None) -> str | None:
    """Why reading the arrays of the zip at ``path`` would use too much memory, or None.

    Checks the sizes the zip's directory declares (reading never goes beyond them)."""
    size = os.path.getsize(path)
    with zipfile.ZipFile(path) as zf:
        total = sum(i.file_size for i in zf.infolist())
    if total > max(NPZ_INFLATION_FLOOR, NPZ_MAX_INFLATION * size):
        return (f"its arrays would take {mib(total)} once uncompressed, from a file of "
                f"{mib(size)} (a damaged or malicious file?); refused before reading")
    if max_total is not None and total > max_total:
        return f"its arrays would take {mib(total)}, over the limit of {mib(max_total)}; refused before reading"
    return None


def npy_problem(path, max_bytes: int) -> str | None:
    """Why the .npy at ``path`` cannot be read as an array of at most ``max_bytes``, or None."""
    import numpy as np
    with open(path, "rb") as f:
        if f.read(6) != b"\x93NUMPY":
            return "is not an .npy file (no NumPy header)"
        f.seek(0)
        try:
            version = np.lib.format.read_magic(f)
            read = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
            if version not in read:
                return f"is an .npy file of version {version[0]}.{version[1]}, not read here (1.0 or 2.0)"
            shape, _, dtype = read[version](f)
        except Exception as e:
            return f"has a damaged .npy header ({e})"
    n = dtype.itemsize
    for s in shape:
        n *= s
    if n > max_bytes:
        return f"declares an array of {mib(n)}, over the limit of {mib(max_bytes)}; refused before reading"
    return None


# -- writing ------------------------------------------------------------------------------
def _umask() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)              # no portable read-only way; restored at once
    os.umask(old)
    return old


def _new_file_mode(path: Path) -> int:
    """An existing file keeps its permissions; a new one gets what open() would give it."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def check_output(path, needed_bytes: int = 0) -> None:
    """Refuse, before any work is done, an output path that cannot be written: a missing
    or unwritable directory, a directory in the file's place, or too little free space."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.exists():
        raise FileProblem(path, f"directory {str(directory)!r} does not exist")
    if not directory.is_dir():
        raise FileProblem(path, f"{str(directory)!r} is not a directory")
    if path.is_dir():
        raise FileProblem(path, "is a directory")
    try:                               # the only reliable test: write (root ignores permission bits)
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise FileProblem(path, f"cannot write in {str(directory)!r} ({e.strerror or e})") from None
    try:
        st = os.statvfs(directory)
        free = st.f_bavail * st.f_frsize
    except OSError:
        return
    if needed_bytes and free < needed_bytes:
        raise FileProblem(path, f"only {mib(free)} free in {str(directory)!r}, about {mib(needed_bytes)} needed")


def write_npz_atomic(path, arrays: dict) -> Path:
    """np.savez to ``path`` atomically: a temporary file in the same directory, fsync,
    then os.replace, so readers see the old file or the new one, never a partial one.
    The file gets the permissions an ordinary write would (umask, or the old file's).
    An OSError names ``path``, not the hidden temporary file."""
    import numpy as np
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.suffix != ".npz":
        raise ValueError(f"{str(path)!r}: the file name must end in .npz")
    if not directory.is_dir():
        raise ValueError(f"{str(path)!r}: directory {str(directory)!r} does not exist")
    mode = _new_file_mode(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(e, OSError):
            code = e.errno or errno.EIO
            raise OSError(code, f"cannot save ({e.strerror or e})", str(path)) from None
        raise
    try:  # make the rename itself durable
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return path


def write_trace(path, trace, extra: dict | None = None, meta: dict | None = None) -> dict:
    """A Trace as .npz, batch-first throughout as PyTorch's ``batch_first=True``: the core's
    time-major (T, N, ...) arrays become (N, T, ...); ``extra`` arrays (input, tokens,
    gradients) are batch-first already. The entry ``meta`` is JSON text naming the layout.
    Returns the arrays written."""
    import json
    import numpy as np
    arrays = {k: np.asarray(v) if k == "lengths" or np.ndim(v) < 2 else np.ascontiguousarray(np.swapaxes(v, 0, 1))
              for k, v in trace.flat().items()}
    arrays["meta"] = np.array(json.dumps({"format": "rnnscope-trace", "layout": "batch-first", **(meta or {})}))
    arrays.update({k: np.asarray(v) for k, v in (extra or {}).items()})
    write_npz_atomic(path, arrays)
    return arrays


def jsonable(v, finite: bool = False):
    """Plain JSON values from NumPy scalars and arrays, tuples and paths; with ``finite``,
    NaN becomes None and ±Inf ±1e308 (strict JSON has neither)."""
    import math
    import numpy as np
    if isinstance(v, dict):
        return {str(k): jsonable(x, finite) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x, finite) for x in v]
    if isinstance(v, np.ndarray):
        return jsonable(v.tolist(), finite) if finite else v.tolist()
    if isinstance(v, np.generic):
        v = v.item()
    if finite and isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else math.copysign(1e308, v)
    if isinstance(v, os.PathLike):
        return os.fspath(v)
    return v
