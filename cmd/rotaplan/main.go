// Command rotaplan plans the yearly teacher rotation of a county education
// bureau: it validates scenarios, finds the optimal placement plan and
// checks plans against the rules. See the README and docs/.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:], Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Terminal: isTerminal(os.Stderr)}))
}
