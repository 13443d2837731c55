package main

import (
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

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
func (f *scenarioFlags) load(path string) (*model.Instance, error) {
	var edit func(*yaml.Node) error
	if len(f.sets) > 0 {
		sets := f.sets
		edit = func(root *yaml.Node) error { return model.ApplyOverrides(root, sets) }
	}
	sc, err := model.LoadEdited(path, edit)
	if err != nil {
		return nil, err
	}
	return model.Compile(sc)
}
