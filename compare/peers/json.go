package main

import (
	"encoding/json"
	"os"

	"walworkshop/compare/harness"
)

// writeJSON writes the median cells as the kit harness's cells
// (harness.Cell), so `make compare` can show the production WALs as extra
// rows and series.
func writeJSON(path string, summaries []summary) error {
	var cells []harness.Cell
	for _, s := range summaries {
		c := s.median
		cells = append(cells, harness.NewCell("writers", c.impl, c.writers, entrySize, c.Result))
	}
	b, err := json.MarshalIndent(cells, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
