//go:build !linux

package powercut

// oDirect is 0 where there is no O_DIRECT flag: Mount refuses anyway.
const oDirect = 0
