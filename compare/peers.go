package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"walworkshop/compare/harness"
)

// runPeers runs the writers workload on the production WALs (pebble's
// record.LogWriter, tidwall/wal) through compare/peers, a separate Go module
// so the kit's own go.mod stays small, and returns its cells. They run after
// the stages' cells, not interleaved with them.
func runPeers(cfg config, progress io.Writer) ([]harness.Cell, error) {
	if _, err := os.Stat(filepath.Join(cfg.peersDir, "go.mod")); err != nil {
		fmt.Fprintf(progress, "peers: no module at %s, skipped (-peers-dir)\n", cfg.peersDir)
		return nil, nil
	}
	dir, err := filepath.Abs(cfg.dir)
	if err != nil {
		return nil, err
	}
	out, err := filepath.Abs(filepath.Join(cfg.out, ".peers.json"))
	if err != nil {
		return nil, err
	}
	defer os.Remove(out)
	var writers []string
	for _, n := range cfg.writers {
		writers = append(writers, strconv.Itoa(n))
	}
	fmt.Fprintf(progress, "peers: pebble and tidwall/wal (go run in %s; the first run compiles pebble)\n", cfg.peersDir)
	cmd := exec.Command("go", "run", ".", "-json", out, "-rounds", "1", "-impls", "pebble,tidwall",
		"-writers", strings.Join(writers, ","), "-duration", cfg.duration.String(), "-dir", dir)
	cmd.Dir, cmd.Stdout, cmd.Stderr = cfg.peersDir, io.Discard, progress
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	var cells []harness.Cell
	if err := json.Unmarshal(b, &cells); err != nil {
		return nil, fmt.Errorf("peers: %s: %w", out, err)
	}
	return cells, nil
}
