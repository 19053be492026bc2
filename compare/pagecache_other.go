//go:build !linux

package main

import "os"

// forgetPages would drop the kernel's cached pages of f. macOS has no call
// for it short of purge(8), which needs root, and x/sys offers FreeBSD's
// posix_fadvise no wrapper; so here it does nothing, and the reads
// workload's "OS page cache" variant starts with warm pages. The report is
// then kinder to the page cache than on Linux.
func forgetPages(f *os.File) error { return nil }
