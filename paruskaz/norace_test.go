//go:build !race

package paruskaz_test

// raceEnabled reports a -race build; the million-event test skips there.
const raceEnabled = false
