#!/usr/bin/env python3
"""Solve a rotaplan MIP exported as JSON (rotaplan export --format json) with
HiGHS through scipy.optimize.milp, which cannot read MPS.

    highs_milp.py MODEL.json [TIME_LIMIT_SECONDS]

Prints one line: status objective seconds moves (seconds: the milp call only).
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


def main():
    with open(sys.argv[1]) as f:
        m = json.load(f)
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else None
    inf = np.inf
    n = len(m["vars"])
    c = np.array(m["cost"], dtype=float)
    lo = np.array(m["lo"], dtype=float)
    hi = np.array([inf if h is None else h for h in m["hi"]], dtype=float)
    integrality = np.array([1 if i else 0 for i in m["integer"]])
    A = csr_matrix((np.array(m["val"], dtype=float), np.array(m["col"], dtype=np.int64),
                    np.array(m["row_start"], dtype=np.int64)), shape=(len(m["rows"]), n))
    rlo = np.array([-inf if x is None else x for x in m["row_lo"]], dtype=float)
    rhi = np.array([inf if x is None else x for x in m["row_hi"]], dtype=float)
    options = {"mip_rel_gap": 0.0}
    if limit:
        options["time_limit"] = limit
    start = time.monotonic()
    cons = [LinearConstraint(A, rlo, rhi)] if A.shape[0] else []
    res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(lo, hi), options=options)
    secs = time.monotonic() - start
    status = {0: "optimal", 1: "limit", 2: "infeasible", 3: "unbounded"}.get(res.status, "error")
    obj = res.fun if res.x is not None else float("nan")
    moves = int(np.sum(res.x[: m["move_vars"]] > 0.5)) if res.x is not None else 0
    print(f"{status} {obj:.6f} {secs:.2f} {moves}")


if __name__ == "__main__":
    main()
