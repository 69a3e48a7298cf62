/* Benchmark: quicksort (median-of-three, insertion sort for short runs) of 200,000
 * pseudo-random 32-bit keys, three rounds with different seeds; prints a checksum of each
 * sorted array and whether it is sorted. CPU-bound, ~100 million instructions. */
#include "runtime.h"

#define N 200000

static uint32_t v[N];

static uint32_t lcg_state;
static uint32_t next_random(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state ^ (lcg_state >> 15);
}

static void insertion(uint32_t *a, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
        uint32_t x = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > x) { a[j + 1] = a[j]; j--; }
        a[j + 1] = x;
    }
}

static void swap(uint32_t *a, int i, int j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; }

static void qsort_u32(uint32_t *a, int lo, int hi) {
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        uint32_t pivot = a[mid];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { swap(a, i, j); i++; j--; }
        }
        if (j - lo < hi - i) { qsort_u32(a, lo, j); lo = i; }
        else { qsort_u32(a, i, hi); hi = j; }
    }
    insertion(a, lo, hi);
}

int main(void) {
    for (uint32_t round = 1; round <= 3; round++) {
        lcg_state = round * 0x9e3779b9u;
        for (int i = 0; i < N; i++) v[i] = next_random();
        qsort_u32(v, 0, N - 1);
        uint64_t sum = 0;
        int sorted = 1;
        for (int i = 0; i < N; i++) {
            sum = sum * 31 + v[i];
            if (i && v[i - 1] > v[i]) sorted = 0;
        }
        rt_printf("round %u: min %08x median %08x max %08x checksum %016lx sorted %s\n", round,
                  v[0], v[N / 2], v[N - 1], sum, sorted ? "yes" : "no");
    }
    return 0;
}
