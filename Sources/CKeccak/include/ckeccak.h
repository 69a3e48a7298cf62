// Batched keccak256 of 64-byte tree nodes on x86-64 vector units (AVX2, AVX-512), chosen
// at run time from what the CPU supports. The Swift permutation in Commitment/Keccak.swift
// stays the definition: this only computes the same function several nodes at a time,
// and the tests check the two agree. On other CPUs the batch width is 0 and Swift hashes
// node by node.
#ifndef TBSIM_CKECCAK_H
#define TBSIM_CKECCAK_H

#include <stddef.h>
#include <stdint.h>

/// How many independent nodes the best vector permutation on this CPU hashes at once:
/// 8 (AVX-512), 4 (AVX2) or 0 (none; hash with the scalar permutation instead).
int tbsim_keccak_batch_width(void);

/// For i in 0..<n: out[4i…4i+3] = keccak256(in[8i…8i+3] ‖ in[8i+4…8i+7]), every value a
/// little-endian 64-bit lane (left node's four lanes, then the right node's). Needs a
/// batch width above 0. `in` and `out` may not overlap.
void tbsim_keccak_node_pairs(const uint64_t *in, uint64_t *out, size_t n);

/// The same with one particular implementation, so the tests can hold each to the Swift
/// permutation on a CPU that has several: 1 = AVX2 (4 lanes), 2 = AVX-512 (4 lanes),
/// 3 = AVX-512 (8 lanes). Returns 0, computing nothing, when this CPU (or build) lacks it.
int tbsim_keccak_node_pairs_variant(int variant, const uint64_t *in, uint64_t *out, size_t n);

#endif
