// The threaded block engine (see cengine.h and docs/ENGINE.md). Each op handler ends in
// its own indirect jump to the next op's handler, so the host's branch predictor learns
// per-handler successors instead of sharing one dispatch jump; a block's terminator
// follows the block's link to the next block and jumps straight into its first op, so a
// chain of linked blocks runs without returning to Swift or probing the block table.
//
// Exact like the Swift `BlockRunner` it mirrors: a block runs only if its whole
// instruction count fits the remaining budget, and every exit leaves pc and the count
// where `BlockRunner` leaves them.
#include "cengine.h"

// An op's second word is read as one integer and split by shifts: little-endian hosts
// only (every host Swift runs on).
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "CEngine reads BlockOp fields by shifting a little-endian word"
#endif

// The dispatch tables send every kind to the Swift fallback, then name the known ones.
#pragma clang diagnostic ignored "-Winitializer-overrides"

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

typedef unsigned __int128 u128;
typedef __int128 i128;

static inline uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

// M, as `mulDivResult` / `mulDiv32Result` define it (RISC-V's division by zero and
// overflow results, no host traps).
static inline uint64_t div64(uint64_t a, uint64_t b) {
    if (b == 0) return ~0ull;
    if ((int64_t)a == INT64_MIN && (int64_t)b == -1) return a;
    return (uint64_t)((int64_t)a / (int64_t)b);
}
static inline uint64_t rem64(uint64_t a, uint64_t b) {
    if (b == 0) return a;
    if ((int64_t)a == INT64_MIN && (int64_t)b == -1) return 0;
    return (uint64_t)((int64_t)a % (int64_t)b);
}
static inline uint64_t div32(uint32_t a, uint32_t b) {
    if (b == 0) return ~0ull;
    if ((int32_t)a == INT32_MIN && (int32_t)b == -1) return sext32(a);
    return sext32((uint32_t)((int32_t)a / (int32_t)b));
}
static inline uint64_t rem32(uint32_t a, uint32_t b) {
    if (b == 0) return sext32(a);
    if ((int32_t)a == INT32_MIN && (int32_t)b == -1) return 0;
    return sext32((uint32_t)((int32_t)a % (int32_t)b));
}

enum { FETCH = 0, LOAD = 1, STORE = 2 };


// The loop, twice: with Sv39 translation and without (bare metal, M-mode), so the
// untranslated copy carries no translation code at all.
#define PAGING 0
#define RUN_LOOP run_physical
#include "engine_loop.h"
#undef PAGING
#undef RUN_LOOP
#define PAGING 1
#define RUN_LOOP run_paged
#include "engine_loop.h"
#undef PAGING
#undef RUN_LOOP

uint64_t tbsim_engine_run(const tbsim_engine *engine, uint64_t limit, int32_t *how) {
    return engine->paging ? run_paged(engine, limit, how) : run_physical(engine, limit, how);
}
