#!/usr/bin/env bash
# Whole-run benchmark: rotaplan plan on synthetic counties of 60, 150 and
# 1,000 schools (about 5k, 12k and 80k teachers), and CBC and HiGHS on the
# exported MIP of the smaller ones, as a yardstick.
#
#   scripts/bench.sh                 # all sizes
#   SIZES="60 150" scripts/bench.sh  # some sizes
#
# Environment: SIZES, SEED (1), OUT (a temporary folder; the scenarios,
# plans, models and logs stay there), PLAN_LIMIT (rotaplan --time-limit,
# default none), MIP_LIMIT (seconds for CBC and HiGHS, default 600),
# MIP_SIZES (sizes given to CBC/HiGHS, default "60 150"), LP_SIZES (sizes
# whose LP relaxation HiGHS solves, scripts/highs_lp.py, for a bound on the
# optimum where no MIP solver finishes; default none: at 1,000 schools it
# takes about 6 minutes and 11 GB).
#
# Needs /usr/bin/time (package time), cbc (coinor-cbc) and, for HiGHS,
# python3 with scipy (python3-scipy); a missing solver is reported as "-".
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"60 150 1000"}
MIP_SIZES=${MIP_SIZES:-"60 150"}
LP_SIZES=${LP_SIZES:-}
SEED=${SEED:-1}
MIP_LIMIT=${MIP_LIMIT:-600}
OUT=${OUT:-$(mktemp -d /tmp/rotaplan-bench.XXXXXX)}
mkdir -p "$OUT"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

echo "bench: building rotaplan into $OUT" >&2
go build -o "$OUT/rotaplan" ./cmd/rotaplan
RP="$OUT/rotaplan"

generate() { # schools file
	if "$RP" generate --help >/dev/null 2>&1; then
		"$RP" generate --schools "$1" --seed "$SEED" -o "$2" >&2
	else
		go run ./scripts/gencounty -schools "$1" -seed "$SEED" -o "$2"
	fi
}

# wall SECONDS and peak RSS MB from a /usr/bin/time -v log
wall() {
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"
}
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

rows=()
lprows=()
for n in $SIZES; do
	sc="$OUT/county$n.yaml"
	[ -f "$sc" ] || generate "$n" "$sc"
	teachers=$("$RP" validate "$sc" | awk '/^teachers/ { print $2; sub(",", "", $2) }' | tr -d ,)
	echo "bench: plan $sc ($teachers teachers)" >&2
	limit=()
	[ -n "${PLAN_LIMIT:-}" ] && limit=(--time-limit "$PLAN_LIMIT")
	/usr/bin/time -v "$RP" plan "$sc" -q "${limit[@]}" -o "$OUT/plan$n.yaml" 2>"$OUT/plan$n.time" || true
	pw=$(wall "$OUT/plan$n.time")
	pc=$(cpu "$OUT/plan$n.time")
	pr=$(rss "$OUT/plan$n.time")
	solverline=$(grep '^solver:' "$OUT/plan$n.yaml" 2>/dev/null || echo "solver: {status: error}")
	status=$(sed -n 's/.*status: \([a-z]*\).*/\1/p' <<<"$solverline")
	z=$(sed -n 's/.*objective: \([-0-9.e+]*\).*/\1/p' <<<"$solverline")
	gap=$(sed -n 's/.*gap: \(!!float \)\{0,1\}\([-0-9.e+]*\).*/\2/p' <<<"$solverline")
	cw=- cc=- cz=- cs=- hw=- hc=- hz=- hs=-
	if [[ " $MIP_SIZES " == *" $n "* ]]; then
		"$RP" export "$sc" -o "$OUT/county$n.mps" 2>"$OUT/export$n.log"
		cat "$OUT/export$n.log" >&2
		if command -v cbc >/dev/null; then
			echo "bench: cbc county$n.mps (limit ${MIP_LIMIT}s)" >&2
			/usr/bin/time -v cbc "$OUT/county$n.mps" sec "$MIP_LIMIT" ratioGap 0 solve solu "$OUT/cbc$n.sol" >"$OUT/cbc$n.log" 2>"$OUT/cbc$n.time" || true
			cw=$(wall "$OUT/cbc$n.time")
			cc=$(cpu "$OUT/cbc$n.time")
			head1=$(head -1 "$OUT/cbc$n.sol" 2>/dev/null || echo "error")
			cs=$(awk '{ print $1 }' <<<"$head1")
			cz=$(sed -n 's/.*objective value *\([-0-9.e+]*\).*/\1/p' <<<"$head1")
			cz=${cz:--}
		fi
		if "$PY" -c 'import scipy.optimize' 2>/dev/null; then
			"$RP" export "$sc" --format json -o "$OUT/county$n.json" 2>/dev/null
			echo "bench: HiGHS (scipy milp) county$n.json" >&2
			/usr/bin/time -v "$PY" scripts/highs_milp.py "$OUT/county$n.json" "$MIP_LIMIT" >"$OUT/highs$n.out" 2>"$OUT/highs$n.time" || true
			hw=$(wall "$OUT/highs$n.time")
			hc=$(cpu "$OUT/highs$n.time")
			read -r hs hz _ _ <"$OUT/highs$n.out" || true
			hs=${hs:--} hz=${hz:--}
		fi
	fi
	if [[ " $LP_SIZES " == *" $n "* ]] && "$PY" -c 'import scipy.optimize' 2>/dev/null; then
		[ -f "$OUT/county$n.json" ] || "$RP" export "$sc" --format json -o "$OUT/county$n.json" 2>/dev/null
		echo "bench: HiGHS LP relaxation county$n.json" >&2
		/usr/bin/time -v "$PY" scripts/highs_lp.py "$OUT/county$n.json" "$MIP_LIMIT" >"$OUT/lp$n.out" 2>"$OUT/lp$n.time" || true
		read -r ls lz _ <"$OUT/lp$n.out" || true
		lprows+=("$(printf '%6s %8s %8s %-8s %16s %14s %10s' "$n" "$(wall "$OUT/lp$n.time")" "$(rss "$OUT/lp$n.time")" \
			"${ls:--}" "${lz:--}" "$z" "$(awk -v z="$z" -v b="${lz:-x}" 'BEGIN { if (b == "x" || z == "") print "-"; else printf "%.4f%%", 100 * (z - b) / (z < 0 ? -z : (z > 1 ? z : 1)) }')")")
	fi
	rows+=("$(printf '%6s %8s %8s %8s %7s %9s %-9s %14s | %8s %8s %-8s %14s | %8s %8s %-8s %14s | %7s %7s %7s %7s' \
		"$n" "$teachers" "$pw" "$pc" "$pr" "${gap:--}" "$status" "$z" "$cw" "$cc" "$cs" "$cz" "$hw" "$hc" "$hs" "$hz" \
		"$(ratio "$pw" "$cw")" "$(ratio "$pc" "$cc")" "$(ratio "$pw" "$hw")" "$(ratio "$pc" "$hc")")")
done

echo
echo "rotaplan bench, seed $SEED, $(nproc) cores, files in $OUT"
printf '%6s %8s %8s %8s %7s %9s %-9s %14s | %8s %8s %-8s %14s | %8s %8s %-8s %14s | %7s %7s %7s %7s\n' \
	schools teachers "plan s" "cpu s" "RSS MB" gap status Z "cbc s" "cpu s" cbc "cbc Z" "highs s" "cpu s" highs "highs Z" "rp/cbc" "cpu" "rp/hi" "cpu"
for r in "${rows[@]}"; do echo "$r"; done
echo "(s: wall clock of the whole process, including reading the input; cpu s: user + system;"
echo " ratios rotaplan/CBC and rotaplan/HiGHS of wall and of cpu time; on a loaded machine trust the cpu columns)"
if [ ${#lprows[@]} -gt 0 ]; then
	echo
	printf '%6s %8s %8s %-8s %16s %14s %10s\n' schools "lp s" "RSS MB" lp "LP bound" "plan Z" "Z above LP"
	for r in "${lprows[@]}"; do echo "$r"; done
	echo "(the LP relaxation of the export, HiGHS on one thread: the optimum is at least the LP bound,"
	echo " so the plan is at most 'Z above LP' from it)"
fi
