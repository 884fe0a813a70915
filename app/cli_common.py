"""What the ``rnnscope`` sub-commands share: exit codes, the one-line usage error and printing."""
from __future__ import annotations

EXIT_DIVERGED, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


class UsageError(Exception):
    """A bad flag or value found after argparse (printed as one line, exit 2)."""


def one_line(e: Exception) -> str:
    if isinstance(e, OSError) and e.filename is not None and not isinstance(e, FileExistsError):
        msg = f"{e.filename}: {e.strerror or e}"
    elif isinstance(e, UnicodeDecodeError):
        msg = f"not valid UTF-8 text ({e.reason} at byte {e.start})"
    else:
        msg = str(e) or type(e).__name__
    return " ".join(msg.split())


def jsonable(v):
    """JSON-ready values for printing (NaN → null, ±Inf → ±1e308)."""
    from rnncore.fileio import jsonable as plain
    return plain(v, finite=True)


def print_metrics(metrics: dict) -> None:
    """Scalars as one table; each dict as its own table (a dict of dicts as a grid); lists line by line."""
    scalars = [(k, v) for k, v in metrics.items() if not isinstance(v, (dict, list, tuple))]
    if scalars:
        w = max(len(str(k)) for k, _ in scalars)
        for k, v in scalars:
            print(f"{str(k):<{w}}  {fmt_metric(v)}")
    for k, v in metrics.items():
        if isinstance(v, dict):
            print(f"\n{k}")
            if v and all(isinstance(x, dict) for x in v.values()):
                cols = list(dict.fromkeys(c for x in v.values() for c in x))
                rows = [[str(r)] + [fmt_metric(x.get(c, "")) for c in cols] for r, x in v.items()]
                header = [""] + [str(c) for c in cols]
            else:
                rows = [[str(r), fmt_metric(x)] for r, x in v.items()]
                header = None
            table(rows, header)
        elif isinstance(v, (list, tuple)):
            if all(not isinstance(x, (dict, list, tuple)) for x in v) and all(isinstance(x, (int, float)) for x in v):
                print(f"\n{k}: {', '.join(fmt_metric(x) for x in v)}")
            else:
                print(f"\n{k}")
                for x in v:
                    print(f"  {x}")


def table(rows, header=None):
    allrows = ([header] if header else []) + rows
    widths = [max(len(r[i]) for r in allrows) for i in range(len(allrows[0]))]
    for r in allrows:
        print("  " + "  ".join(c.rjust(w) if j else c.ljust(w) for j, (c, w) in enumerate(zip(r, widths))))


def fmt_metric(v):
    if isinstance(v, bool) or v is None:
        return str(v).lower() if v is not None else "-"
    if isinstance(v, float):
        return f"{v:.4g}"
    if hasattr(v, "item"):
        return fmt_metric(v.item())
    return str(v)
