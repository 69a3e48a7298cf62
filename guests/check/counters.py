#!/usr/bin/env python3
"""Expected output of guests/programs/counters.c, from the instruction counts of its
assembly: a csrr reads the count of instructions before it, so a loop of n iterations of
two instructions between two csrr reads (with one mv before it) shows 2n + 2."""
sizes = [1, 10, 1000, 100000]
for n in sizes: print(f"loop {n:6}: instret delta {2 * n + 2}")
for n in sizes: print(f"rvc loop {n:6}: instret delta {2 * n + 2}")
print("100-instruction block: instret delta 101")
print(f"loop   1000: mcycle delta {2 * 1000 + 2}")
