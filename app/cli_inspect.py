"""``rnnscope eval | sample | score | trace``: look at a trained or imported model
without a window (no Qt). See app/cli.py for the flags and exit codes."""
from __future__ import annotations

import json
import math
from pathlib import Path

from .cli_common import UsageError, jsonable, one_line, print_metrics, table

#: --input files are read whole: text up to this size, arrays up to MAX_ARRAY_BYTES
MAX_TEXT_BYTES = 10 << 20
MAX_ARRAY_BYTES = 256 << 20

TRACE_KEYS = """\
keys of the trace file (every array batch-first, as PyTorch's batch_first=True: per-step
arrays are (N, T, H); 'meta' says so: str(z['meta']) is JSON with "layout": "batch-first"):
  {part}.l{l}.{fwd|bwd}.{key}   part 'rnn' (or 'enc' / 'dec' for encoder-decoder),
                                layer l, direction fwd (→) or bwd (←), key: the cell's
                                gates gamma_u (Γu), gamma_r (Γr), gamma_f (Γf),
                                gamma_o (Γo), c_tilde (c̃) (the vanilla RNN has none),
                                c (c<t>; = a<t> for RNN and GRU), a (a<t>), and da
                                (∂L/∂a<t>, only when the input has targets: --run with
                                a text FILE)
  logits, outputs               (N, T_y, O) before / after the output function
  loss                          (N, T_y) L<t>(i), when the input has targets
  lengths                       (N,) T_x(i)
  input                         the input x as the model read it (ids or floats, batch-first)
  tokens                        (N, T) the input tokens as text (--run with a text FILE)
with --backward G.npy (G has the shape of 'outputs', (N, T_y, O), or (N, O) for
many-to-one), gradients of sum(G · outputs):
  grad.{weight}                 every weight, named as in the weights file: PyTorch's
                                names for --weights (weight_ih_l0, ...), the core's for
                                --run (rnn.l0.fwd.Wx, head.W, ...)
  grad.input                    ∂/∂x for float inputs, (N, T, D) (absent for token inputs)
--weights models start from zero states (PyTorch's default h0 = c0 = 0); an nn.RNN needs
--nonlinearity (its state_dict does not say tanh or relu); without a Linear head
(fc.* / head.*) in the file, outputs are the module's output. The gates
use the notes' names: an nn.LSTM's i, f, g, o are gamma_u, gamma_f, c_tilde, gamma_o; an
nn.GRU's r, z, n are gamma_r, 1 - gamma_u, c_tilde (rnncore/naming.py).
"""


# -- eval ------------------------------------------------------------------------------------
def _load(run_path):
    from rnncore.runs import load_run
    run = load_run(run_path)
    task = run.make_task()
    return run, task, run.make_model()


def cmd_eval(args, rest) -> int:
    import numpy as np
    run, task, model = _load(args.run)
    if task is None:
        raise UsageError(f"--run: {args.run} has no task, so there is nothing to evaluate it on")
    if args.input is None:
        rng = None if args.seed is None else np.random.default_rng(args.seed)
        metrics = task.evaluate(model, rng)
        if args.json:
            print(json.dumps(jsonable(metrics), indent=2))
        else:
            print_metrics(metrics)
        return 0
    results = []
    for i, line in _read_lines(args.input, raw=getattr(task, "raw_text", False)):
        try:
            results.append(predict_line(task, model, line))
        except ValueError as e:
            raise UsageError(f"--input: {args.input}, line {i}: {one_line(e)}") from None
    if args.json:
        print(json.dumps(jsonable(results), indent=2))
    else:
        for r in results:
            print(f"{r['input']}\n    → {_fmt_pred(r['prediction'], task)}"
                  + (f"   ({r['detail']})" if r.get("detail") else ""))
    return 0


def _read_lines(path, raw=False) -> list[tuple[int, str]]:
    """(line number, text) of each non-blank line of a UTF-8 text file; stripped unless
    ``raw`` (a task reading raw characters keeps the indentation)."""
    from rnncore.fileio import FileProblem, read_bytes
    try:
        data = read_bytes(path, MAX_TEXT_BYTES)
    except FileProblem as e:
        raise UsageError(f"--input: {e}") from None
    if b"\0" in data[:4096]:
        raise UsageError(f"--input: {path} is a binary file, expected text (one sequence per line)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UsageError(f"--input: {path} is not valid UTF-8 (byte {e.start})") from None
    lines = [(i, ln.rstrip("\r\n") if raw else ln.strip())
             for i, ln in enumerate(text.splitlines(), 1) if ln.strip()]   # blank lines skipped
    if not lines:
        raise UsageError(f"--input: {path} has no sequences (one per line expected)")
    return lines


def predict_line(task, model, line) -> dict:
    """The model's prediction for one typed sequence, put in the layout of the task's own
    targets (class ids, 0/1 decisions or values) so that ``task.describe`` can show it."""
    import numpy as np
    from rnncore.data import Batch
    from rnncore.model import output_activation
    c = model.config
    b = task.encode(line)
    y_true = np.asarray(b.y)
    y_lengths, detail = b.y_lengths, None
    if c.shape in ("one-to-many", "encoder-decoder"):
        from rnncore.generate import greedy
        pred_y = greedy(model, b.x, b.x_lengths)                        # (1, T_y) ids
        y_lengths = np.array([pred_y.shape[1]])
    else:
        p = output_activation(c.output, model.forward(b.x, b.x_lengths).logits)[:, 0]   # (T_y, O)
        if c.shape == "many-to-many" and b.x_lengths is not None:
            p = p[:int(b.x_lengths[0])]
        if c.output == "softmax":
            dec = p.argmax(-1)
            detail = "p = " + " ".join(f"{v:.2f}" for v in p.max(-1))
        elif c.output == "sigmoid":
            dec = (p > 0.5).astype(float)
            detail = "P(y=1) = " + " ".join(f"{v:.2f}" for v in p.ravel())
        else:
            dec = p
        try:
            if c.shape in ("many-to-one", "one-to-one"):
                pred_y = dec.reshape(y_true.shape)
            else:
                dec = dec.reshape(len(dec), *y_true.shape[2:])
                pred_y = np.zeros((1, max(y_true.shape[1], len(dec)), *dec.shape[1:]), dec.dtype)
                pred_y[0, :len(dec)] = dec
            pred_y = pred_y.astype(y_true.dtype)
        except ValueError:               # targets laid out differently from the outputs: show raw values
            return {"input": line, "tokens": None, "prediction": np.asarray(dec).tolist(), "detail": detail}
    try:
        shown = task.describe(Batch(b.x, pred_y, b.x_lengths, y_lengths), 0)
        return {"input": line, "tokens": shown.get("x"), "prediction": shown.get("y"), "detail": detail}
    except Exception:                    # a task that cannot describe this prediction: show raw values
        return {"input": line, "tokens": None, "prediction": np.asarray(pred_y).tolist(), "detail": detail}


def _fmt_pred(v, task=None):
    """A prediction as the task writes it: a date's characters joined, words spaced."""
    if isinstance(v, (list, tuple)):
        if callable(getattr(task, "detokenize", None)) and all(isinstance(t, str) for t in v):
            return task.detokenize(v)
        return " ".join(map(str, v))
    return str(v)


# -- sample and score ----------------------------------------------------------------------
def cmd_sample(args, rest) -> int:
    import numpy as np
    run, task, model = _load(args.run)
    if task is None or not callable(getattr(task, "sample", None)):
        name = "the run has no task" if task is None else f"task {task.name!r} cannot sample"
        raise UsageError(f"--run: {name} (sampling needs a language model or melody run)")
    kw = {}
    if args.max_len is not None:
        kw["max_len"] = args.max_len
    if args.prefix:
        kw["prefix"] = args.prefix
    rng = np.random.default_rng(args.seed)
    try:
        samples = task.sample(model, rng, temperature=args.temperature, n=args.n, **kw)
    except TypeError as e:
        if kw and "unexpected keyword" in str(e):
            raise UsageError(f"task {task.name!r} does not take {', '.join('--' + k.replace('_', '-') for k in kw)}") \
                from None
        raise
    if args.json:
        print(json.dumps(jsonable(samples), indent=2))
    else:
        for s in samples:
            print(_fmt_pred(s))
    return 0


def cmd_score(args, rest) -> int:
    run, task, model = _load(args.run)
    if task is None or not callable(getattr(task, "score", None)):
        name = "the run has no task" if task is None else f"task {task.name!r} cannot score sentences"
        raise UsageError(f"--run: {name} (scoring needs a language model run)")
    results = [{"text": t, **task.score(model, t)} for t in args.text]
    if args.json:
        print(json.dumps(jsonable(results), indent=2))
        return 0
    for r in results:
        print(r["text"])
        rows = [[repr(tok) if not str(tok).strip() else str(tok), f"{lp:.4f}"]
                for tok, lp in zip(r["tokens"], r["log_probs"])]
        table(rows, ["token", "log p"])
        print(f"  total log P = {r['total']:.4f}  (P = {math.exp(r['total']):.3g})")
    return 0


# -- trace --------------------------------------------------------------------------------
def cmd_trace(args, rest) -> int:
    import numpy as np
    from rnncore.inputs import InputError
    from rnncore.fileio import FileProblem, check_regular, write_trace
    from rnncore.torch_import import load_torch_weights, outputs_backward

    from .cli_train import check_out
    out = Path(args.out)
    check_out(out)
    try:
        check_regular(args.input)
    except FileProblem as e:
        raise UsageError(f"--input: {e}") from None
    G = None
    if args.backward:
        G = _load_array(args.backward, "--backward")
    task, imported = None, None
    if args.weights:
        imported = load_torch_weights(args.weights, nonlinearity=args.nonlinearity)
        model = imported.model
    else:
        if args.nonlinearity:
            raise UsageError("--nonlinearity applies to --weights only (a run stores its activation)")
        _, task, model = _load(args.run)
    batch, tokens = _trace_input(args.input, model, task)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            tr = model.trace(batch, with_gradients=batch.y is not None)
    except InputError as e:
        raise UsageError(f"--input: {args.input}: {e}") from None
    meta = {"source": str(args.weights or args.run), "cell": model.config.cell}
    if imported is not None and imported.kind == "rnn":
        meta["nonlinearity"] = imported.nonlinearity
    extra = {"input": np.asarray(batch.x)}
    if tokens is not None:
        extra["tokens"] = tokens
    if G is not None:
        try:
            _, grads, dx = outputs_backward(model, batch.x, G, batch.x_lengths,
                                            batch.y if model.config.shape in ("one-to-many", "encoder-decoder") else None)
        except InputError as e:
            raise UsageError(f"--backward: {e}") from None
        named = imported.grads_to_torch(grads) if imported is not None else grads
        extra.update({f"grad.{k}": v for k, v in named.items()})
        if dx is not None:
            extra["grad.input"] = dx
    arrays = write_trace(out, tr, extra, meta)
    shapes = ", ".join(f"{k} {tuple(v.shape)}" for k, v in list(arrays.items())[:3])
    print(f"saved {len(arrays)} arrays to {out} ({shapes}, ...)")
    return 0


def _load_array(path, flag):
    import numpy as np
    from rnncore.fileio import FileProblem, check_regular, npy_problem
    p = Path(path)
    try:
        check_regular(p, MAX_ARRAY_BYTES)
        problem = npy_problem(p, MAX_ARRAY_BYTES)
    except FileProblem as e:
        raise UsageError(f"{flag}: {e}") from None
    if problem:
        raise UsageError(f"{flag}: {path} {problem}")
    try:
        a = np.load(p, allow_pickle=False)
    except Exception as e:
        raise UsageError(f"{flag}: {path} is not a readable .npy array ({one_line(e)})") from None
    if not isinstance(a, np.ndarray):
        a.close()
        raise UsageError(f"{flag}: {path} must be a single .npy array")
    if not np.issubdtype(a.dtype, np.number) or np.issubdtype(a.dtype, np.complexfloating):
        raise UsageError(f"{flag}: {path} must hold real numbers, got dtype {a.dtype}")
    return a


def _trace_input(path, model, task):
    """→ (Batch with y=None when there are no targets, tokens as a text array or None)."""
    import numpy as np
    from rnncore.data import Batch
    p = Path(path)
    if p.suffix in (".npy", ".npz"):
        lengths = None
        if p.suffix == ".npz":
            import zipfile
            from rnncore.fileio import check_regular, npz_size_problem
            check_regular(p, MAX_ARRAY_BYTES)
            if not zipfile.is_zipfile(p):
                raise UsageError(f"--input: {path} is not an .npz archive (not a zip file)")
            problem = npz_size_problem(p, MAX_ARRAY_BYTES)
            if problem:
                raise UsageError(f"--input: {path}: {problem}")
            try:
                with np.load(p, allow_pickle=False) as z:
                    if "x" not in z.files:
                        raise UsageError(f"--input: {path} must hold an array 'x' (and optionally 'lengths'); "
                                         f"found {', '.join(z.files) or 'nothing'}")
                    x = z["x"]
                    lengths = z["lengths"] if "lengths" in z.files else None
                if np.issubdtype(x.dtype, np.complexfloating):
                    raise UsageError(f"--input: {path} must hold real numbers, got dtype {x.dtype}")
            except UsageError:
                raise
            except Exception as e:
                raise UsageError(f"--input: {path} is not a readable .npz ({one_line(e)})") from None
        else:
            x = _load_array(path, "--input")
        c = model.config
        if not c.vocab_size and c.shape not in ("one-to-one", "one-to-many") and x.ndim == 2:
            x = x[None]                                   # (T, D) → one sequence
        return Batch(x, None, lengths), None
    if task is None:
        raise UsageError(f"--input: {path}: PyTorch weights read arrays only: give an .npy (N, T, D) or (T, D) "
                         "or an .npz with 'x'")
    lines = _read_lines(path, raw=getattr(task, "raw_text", False))
    batches = []
    for i, line in lines:
        try:
            batches.append(task.encode(line))
        except ValueError as e:
            raise UsageError(f"--input: {path}, line {i}: {one_line(e)}") from None
    batch = _stack(batches, model.config)
    toks = [task.describe(b, 0).get("x", []) for b in batches]
    T = max(len(t) for t in toks) if toks else 0
    tokens = np.array([[str(s) for s in t] + [""] * (T - len(t)) for t in toks]) if T else None
    return batch, tokens


def _stack(batches, config):
    """Batches of one (from task.encode) → one batch, sequences padded, with lengths."""
    import numpy as np
    from rnncore.data import Batch

    def pad(arrays):
        T = max(a.shape[1] for a in arrays)
        out = np.zeros((len(arrays), T, *arrays[0].shape[2:]), arrays[0].dtype)
        for i, a in enumerate(arrays):
            out[i, :a.shape[1]] = a[0]
        return out

    def lengths(arrays, given):
        return np.array([int(g[0]) if g is not None else a.shape[1] for a, g in zip(arrays, given)])

    xs = [np.asarray(b.x) for b in batches]
    ys = [np.asarray(b.y) for b in batches]
    if config.shape in ("one-to-one", "one-to-many"):
        x, xl = np.concatenate(xs), None                  # one start vector per sequence
    else:
        x, xl = pad(xs), lengths(xs, [b.x_lengths for b in batches])
    yl = None
    if config.shape in ("one-to-many", "encoder-decoder"):
        y, yl = pad(ys), lengths(ys, [b.y_lengths for b in batches])
    elif config.shape == "many-to-many":
        y = pad(ys)
    else:
        y = np.concatenate(ys)
    return Batch(x, y, xl, yl)
