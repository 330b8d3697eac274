//go:build race

package bulk

// raceEnabled is set when the race detector is on (go test -race).
const raceEnabled = true
