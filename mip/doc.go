// Package mip writes the rotation problem of a scenario as a mixed-integer
// program (spec §3-§6) for outside solvers: free MPS (CBC, HiGHS, Gurobi,
// CPLEX), CPLEX LP, and a JSON matrix that scripts can load without an MPS
// reader (scipy's milp is HiGHS but reads no MPS).
//
// The program is an independent statement of the spec: its optimum must equal
// solver.Solve's objective, and any of its solutions mapped back with
// Model.Placements and scored by model.Evaluate must give the objective the
// outside solver reports. The cross-check tests use CBC for both.
//
// Variables:
//
//	x[t,d,k]  binary, one per allowed move (pins fixed to 1 by bounds)
//	p[c]      arrivals net of departures that fill open posts, 0 <= p <= short
//	z[c]      departures that leave only surplus, 0 <= z <= surplus, cost 0
//	e[c]      departures that empty required posts, 0 <= e <= source_deficit
//	u[U]      count shortfall of a quota unit, >= 0
//	v[U]      backbone shortfall of a quota unit, >= 0
//
// Rows: one move per teacher (H1), in - out = p - z - e per cell (H2 and H3
// are the bounds of p, z and e), moved <= cap per school (H4), M_U + u_U >= q_U
// and B_U - share x M_U + v_U >= 0 per unit. The objective is Z of spec §6
// without a constant: for the empty plan every u_U = q_U, so Z = quota x Σ q_U.
package mip
