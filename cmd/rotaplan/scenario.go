package main

import (
	"github.com/spf13/cobra"

	"rotaplan/model"
)

// scenarioFlags are the flags of every command that reads a scenario.
type scenarioFlags struct {
	sets []string // what-if overrides, PATH=VALUE
}

func (f *scenarioFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.sets, "set", nil,
		"what-if override PATH=VALUE applied before validation, e.g. policy.quotas[0].min_share=0.15 or schools[S01].demand.music=3 (repeatable)")
}

// load reads, overrides, validates and compiles the scenario at path.
// Validation errors in overridden values name the override (--set PATH)
// instead of a line of the file.
func (f *scenarioFlags) load(path string) (*model.Instance, error) {
	return loadScenario(path, f.sets)
}

// loadScenario is load for an explicit list of overrides (sweep adds its own).
func loadScenario(path string, sets []string) (*model.Instance, error) {
	sc, err := model.LoadOverridden(path, sets)
	if err != nil {
		return nil, err
	}
	return model.Compile(sc)
}
