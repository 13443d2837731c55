#!/usr/bin/env python3
"""Solve the LP relaxation of a rotaplan MIP exported as JSON (rotaplan export
--format json) with HiGHS through scipy.optimize.linprog: integrality dropped,
every column and row bound kept. Its optimum is a lower bound on the optimal
Z, so on a county too big for a MIP solver it still tells how far a plan can
be from the optimum: at most (Z - LP) / |Z|.

    highs_lp.py MODEL.json [TIME_LIMIT_SECONDS]

Prints one line: status objective seconds (seconds: the linprog call only).
HiGHS runs on one thread. The JSON is read array by array with numpy: json.load
of the 1 GB export of a 1,000-school county would need many GB of objects.
"""
import sys
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

try:  # linprog has no threads option: pass one to scipy's HiGHS wrapper
    import scipy.optimize._linprog_highs as _lh

    _wrapped = _lh._highs_wrapper

    def _one_thread(*args):
        return _wrapped(*args[:-1], dict(args[-1], threads=1))

    _lh._highs_wrapper = _one_thread
except (ImportError, AttributeError):
    pass


def array(s, key, dtype=float, null=None):
    k = b'"' + key.encode() + b'":['
    i = s.index(k) + len(k)
    seg = s[i:s.index(b"]", i)]
    if null is not None:
        seg = seg.replace(b"null", null)
    if not seg:
        return np.array([], dtype=dtype)
    return np.array(seg.split(b","), dtype=dtype)


def main():
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else None
    with open(sys.argv[1], "rb") as f:
        s = f.read()
    c = array(s, "cost")
    lo = array(s, "lo")
    hi = array(s, "hi", null=b"inf")
    rlo = array(s, "row_lo", null=b"-inf")
    rhi = array(s, "row_hi", null=b"inf")
    start = array(s, "row_start", dtype=np.int64)
    col = array(s, "col", dtype=np.int64)
    val = array(s, "val")
    del s
    A = csr_matrix((val, col, start), shape=(len(rlo), len(c)))
    del val, col
    le = np.isinf(rlo) & np.isfinite(rhi)
    ge = np.isfinite(rlo) & np.isinf(rhi)
    eq = np.isfinite(rlo) & (rlo == rhi)
    both = np.isfinite(rlo) & np.isfinite(rhi) & (rlo != rhi)
    A_ub = vstack([A[le | both], -A[ge | both]], format="csr")
    b_ub = np.concatenate([rhi[le | both], -rlo[ge | both]])
    A_eq, b_eq = (A[eq], rlo[eq]) if eq.any() else (None, None)
    del A
    options = {"presolve": True}
    if limit:
        options["time_limit"] = limit
    t = time.monotonic()
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=np.column_stack([lo, hi]),
                  method="highs", options=options)
    secs = time.monotonic() - t
    status = {0: "optimal", 1: "limit", 2: "infeasible", 3: "unbounded"}.get(res.status, "error")
    obj = res.fun if res.x is not None else float("nan")
    print(f"{status} {obj:.6f} {secs:.2f}")


if __name__ == "__main__":
    main()
