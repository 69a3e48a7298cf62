/* Sorts 3000 pseudo-random 64-bit keys (xorshift64*, fixed seed) with insertion sort,
 * heapsort, merge sort and quicksort; prints checksums of the input and of each result,
 * and whether each result is sorted and equal to the others. */
#include "runtime.h"

#define N 3000

static uint64_t input[N], a[N], tmp[N], reference[N];

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t next_random(void) {
    uint64_t x = rng_state;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* Position-weighted checksum: sum of (i + 1) * v[i] mod 2^64, then a FNV-1a over bytes. */
static uint64_t checksum(const uint64_t *v) {
    uint64_t s = 0, h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < N; i++) {
        s += (uint64_t)(i + 1) * v[i];
        for (int b = 0; b < 64; b += 8) { h ^= (v[i] >> b) & 0xff; h *= 0x100000001b3ULL; }
    }
    return s ^ h;
}

static void insertion_sort(uint64_t *v, int n) {
    for (int i = 1; i < n; i++) {
        uint64_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
        v[j + 1] = x;
    }
}

static void sift_down(uint64_t *v, int root, int n) {
    for (;;) {
        int child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && v[child + 1] > v[child]) child++;
        if (v[root] >= v[child]) return;
        uint64_t t = v[root]; v[root] = v[child]; v[child] = t;
        root = child;
    }
}

static void heap_sort(uint64_t *v, int n) {
    for (int i = n / 2 - 1; i >= 0; i--) sift_down(v, i, n);
    for (int end = n - 1; end > 0; end--) {
        uint64_t t = v[0]; v[0] = v[end]; v[end] = t;
        sift_down(v, 0, end);
    }
}

static void merge_sort(uint64_t *v, uint64_t *scratch, int n) {
    for (int width = 1; width < n; width *= 2) {
        for (int lo = 0; lo < n; lo += 2 * width) {
            int mid = lo + width < n ? lo + width : n;
            int hi = lo + 2 * width < n ? lo + 2 * width : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi) scratch[k++] = v[i] <= v[j] ? v[i++] : v[j++];
            while (i < mid) scratch[k++] = v[i++];
            while (j < hi) scratch[k++] = v[j++];
        }
        memcpy(v, scratch, sizeof(uint64_t) * (size_t)n);
    }
}

static void quick_sort(uint64_t *v, int lo, int hi) {
    while (lo < hi) {
        uint64_t pivot = v[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) { uint64_t t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quick_sort(v, lo, j); lo = i; }
        else { quick_sort(v, i, hi); hi = j; }
    }
}

static int is_sorted(const uint64_t *v) {
    for (int i = 1; i < N; i++) if (v[i - 1] > v[i]) return 0;
    return 1;
}

static void report(const char *name, int first) {
    int same = first ? 1 : memcmp(a, reference, sizeof a) == 0;
    if (first) memcpy(reference, a, sizeof a);
    rt_printf("%-10s checksum %016lx sorted %s same %s\n", name, checksum(a),
              is_sorted(a) ? "yes" : "no", same ? "yes" : "no");
}

int main(void) {
    for (int i = 0; i < N; i++) input[i] = next_random();
    /* A run of duplicates so equal keys are exercised too. */
    for (int i = 100; i < 160; i++) input[i] = input[99];
    rt_printf("items %d input checksum %016lx first %016lx last %016lx\n", N, checksum(input),
              input[0], input[N - 1]);

    memcpy(a, input, sizeof a); insertion_sort(a, N); report("insertion", 1);
    memcpy(a, input, sizeof a); heap_sort(a, N); report("heap", 0);
    memcpy(a, input, sizeof a); merge_sort(a, tmp, N); report("merge", 0);
    memcpy(a, input, sizeof a); quick_sort(a, 0, N - 1); report("quick", 0);
    rt_printf("min %016lx median %016lx max %016lx\n", a[0], a[N / 2], a[N - 1]);
    return 0;
}
