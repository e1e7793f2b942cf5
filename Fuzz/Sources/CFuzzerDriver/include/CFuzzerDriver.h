#ifndef C_FUZZER_DRIVER_H
#define C_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt's FuzzerDriver.cpp), linked in by -sanitize=fuzzer. SwiftPM
/// links every executable with its own `main` (`--defsym main=<module>_main`), so libFuzzer's
/// `main` cannot be used: PatternFuzz's @main calls this instead, with the command line and the
/// per-input callback.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
