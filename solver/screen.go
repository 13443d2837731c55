package solver

import (
	"runtime"
	"sync"
	"sync/atomic"

	"rotaplan/solver/flow"
)

// maxScreenWorkers caps the goroutines that screen local-search moves: a
// fork copies the flow (8 bytes an arc), and screens are short.
const maxScreenWorkers = 8

// screen is one move to price: the supply changes from -> to on the
// Rerouter's flow, under limit; at is its index in the caller's list and
// qd its change of the quota terms.
type screen struct {
	at       int
	from, to []int32
	limit    float64
	qd       float64
}

// screener prices a window of moves on several goroutines at once: the
// Rerouter itself and forks of it (flow.Rerouter.Fork), each pricing on
// the same flow. The Rerouter and the Graph do not change while it
// prices, so the answers are those of pricing the moves one by one.
type screener struct {
	rr    *flow.Rerouter
	forks []*flow.Rerouter // made on first use
	n     int              // goroutines, the caller's included
	dirty bool             // the forks need a Sync
}

func newScreener(rr *flow.Rerouter, workers int) *screener {
	return &screener{rr: rr, n: max(1, workers)}
}

func (sc *screener) workers() int { return sc.n }

// stale says that the Rerouter's flow changed (an Apply).
func (sc *screener) stale() { sc.dirty = true }

// first prices the window and returns the index of its first move that
// pays (Cost under its limit), or -1. Moves after the first that pays may
// be priced or not; their answers are not used.
func (sc *screener) first(win []screen) int {
	if sc.n == 1 || len(win) == 1 {
		for i := range win {
			if _, ok := sc.rr.Cost(win[i].from, win[i].to, win[i].limit); ok {
				return i
			}
		}
		return -1
	}
	if sc.forks == nil {
		for range sc.n - 1 {
			sc.forks = append(sc.forks, sc.rr.Fork())
		}
		sc.dirty = false
	}
	for _, f := range sc.forks {
		f.MaxSettled = sc.rr.MaxSettled
	}
	if sc.dirty {
		for _, f := range sc.forks {
			f.Sync()
		}
		sc.dirty = false
	}
	// Work is taken in order from a shared counter; once a move pays,
	// the moves after it are skipped.
	var next atomic.Int64
	var firstPay atomic.Int64
	firstPay.Store(int64(len(win)))
	work := func(r *flow.Rerouter) {
		for {
			i := next.Add(1) - 1
			if i >= int64(len(win)) || i > firstPay.Load() {
				return
			}
			_, ok := r.Cost(win[i].from, win[i].to, win[i].limit)
			if ok {
				for {
					f := firstPay.Load()
					if i >= f || firstPay.CompareAndSwap(f, i) {
						break
					}
				}
			}
		}
	}
	var wg sync.WaitGroup
	for _, f := range sc.forks[:min(len(sc.forks), len(win)-1)] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(f)
		}()
	}
	work(sc.rr)
	wg.Wait()
	if f := int(firstPay.Load()); f < len(win) {
		return f
	}
	return -1
}

// screenWorkers is the number of goroutines that screen moves: the
// search's setting, else GOMAXPROCS, at most maxScreenWorkers.
func (s *search) screenWorkers() int {
	if s.workers > 0 {
		return s.workers
	}
	return cores()
}

// cores is the number of goroutines for work split across the machine:
// GOMAXPROCS, at most maxScreenWorkers.
func cores() int { return min(runtime.GOMAXPROCS(0), maxScreenWorkers) }
