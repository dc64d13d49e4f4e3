//go:build !unix

package bench

// cpuTime returns -1: the process's CPU time is read on Unix only.
func cpuTime() int64 { return -1 }
