package model

import (
	"errors"

	"gopkg.in/yaml.v3"
)

// ApplyOverrides applies what-if overrides PATH=VALUE to a parsed scenario tree.
func ApplyOverrides(root *yaml.Node, sets []string) error {
	return errors.New("--set is not implemented yet")
}
