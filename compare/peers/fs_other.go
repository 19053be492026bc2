//go:build !linux

package main

// fsType is only implemented on Linux, where statfs reports the type.
func fsType(dir string) string { return "unknown file system" }
