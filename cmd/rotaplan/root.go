package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"rotaplan/model"
)

// Exit codes, the same for every command.
const (
	ExitOK         = 0 // success
	ExitViolations = 1 // the plan breaks a rule or misses a quota
	ExitBadInput   = 2 // bad input or usage
	ExitNoPlan     = 3 // no plan exists (the pins alone break a hard rule)
)

// Streams are the command's input and outputs; tests swap them for buffers.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
	Terminal bool // Err is a terminal: progress may be shown there
}

// exitError carries an exit code. A nil err means the message was already printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// violations is returned by commands that found rule violations they already reported.
var errViolations = &exitError{code: ExitViolations}

func noPlan(err error) error { return &exitError{code: ExitNoPlan, err: err} }

func usageError(format string, args ...any) error {
	return &exitError{code: ExitBadInput, err: fmt.Errorf(format, args...)}
}

// exitCode maps an error to the exit code: this is the one place that does.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	}
	// Input errors (model.ErrorList), flag and argument errors: bad input.
	return ExitBadInput
}

// Main runs rotaplan with the arguments and returns the exit code.
func Main(args []string, st Streams) int {
	root := newRootCmd(st)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil {
		var ee *exitError
		if !errors.As(err, &ee) || ee.err != nil {
			fmt.Fprintln(st.Err, formatError(err))
		}
	}
	return exitCode(err)
}

func formatError(err error) string {
	var list model.ErrorList
	if errors.As(err, &list) {
		return list.Error()
	}
	return "rotaplan: " + err.Error()
}

func newRootCmd(st Streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "rotaplan",
		Short: "Plan the yearly teacher rotation (交流轮岗) of a county education bureau",
		Long: `rotaplan finds the placement plan for a county's yearly teacher rotation:
who moves from which school to which post, meeting the exchange quotas
(at least 10% of eligible teachers, at least 20% of them backbone teachers)
while filling rural shortages, keeping sending schools staffed and journeys short.

Exit codes: 0 ok, 1 rule violations found, 2 bad input or usage, 3 no plan exists.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(st.In)
	root.SetOut(st.Out)
	root.SetErr(st.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitBadInput, err: err}
	})
	for _, newCmd := range commands {
		root.AddCommand(newCmd(st))
	}
	return root
}

// commands are the subcommands: each command's file registers its
// constructor in an init function. cobra lists them sorted by name.
var commands []func(Streams) *cobra.Command

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
