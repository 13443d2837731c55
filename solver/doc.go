// Package solver finds the rotation plan that minimizes the objective Z of
// the scenario spec under the hard rules H1-H4. It works on model types only:
// no files, no YAML, no command line.
package solver
