package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..."; otherwise
// the module version from the build info is shown.
var version = ""

func init() { commands = append(commands, newVersionCmd) }

func newVersionCmd(st Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the rotaplan version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := version
			if v == "" {
				v = "(devel)"
				if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
					v = bi.Main.Version
				}
			}
			fmt.Fprintf(st.Out, "rotaplan %s (scenario format version 1)\n", v)
			return nil
		},
	}
}
