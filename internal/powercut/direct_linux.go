package powercut

import "syscall"

// oDirect is the open flag that asks for direct I/O.
const oDirect = syscall.O_DIRECT
