/* Benchmark in the spirit of CoreMark (written from scratch): each iteration runs integer
 * matrix multiply, a linked-list build/sort/reverse/search, a text-scanning state machine
 * and CRC-32 over the results; prints per-part checksums and a final CRC. CPU-bound,
 * ~100 million instructions. */
#include "runtime.h"

#define ITERATIONS 160
#define MAT 24
#define NODES 600
#define TEXT 4000

static uint32_t seed;
static uint32_t next_random(void) {
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static uint32_t crc_table[256];
static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}
static uint32_t crc32(uint32_t crc, const void *data, uint32_t n) {
    const uint8_t *p = data;
    crc = ~crc;
    while (n--) crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* ---- matrix ---- */
static int32_t ma[MAT][MAT], mb[MAT][MAT], mc[MAT][MAT];
static uint32_t matrix_part(void) {
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) {
            ma[i][j] = (int32_t)(next_random() % 2001) - 1000;
            mb[i][j] = (int32_t)(next_random() % 2001) - 1000;
        }
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) {
            int32_t s = 0;
            for (int k = 0; k < MAT; k++) s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    /* Scale, then a column-wise prefix max so the result depends on order. */
    for (int j = 0; j < MAT; j++) {
        int32_t m = -2147483647 - 1;
        for (int i = 0; i < MAT; i++) {
            int32_t v = (mc[i][j] >> 3) ^ (i * 31 + j);
            if (v > m) m = v;
            mc[i][j] = m;
        }
    }
    return crc32(0, mc, sizeof mc);
}

/* ---- linked list ---- */
struct node { struct node *next; uint32_t key, value; };
static struct node pool[NODES];

static struct node *list_merge_sort(struct node *head) {
    /* Bottom-up merge sort on the list, by key then value. */
    int width = 1;
    for (;;) {
        struct node *p = head, *tail = 0, *result = 0;
        int merges = 0;
        while (p) {
            merges++;
            struct node *q = p;
            int psize = 0;
            for (int i = 0; i < width && q; i++) { psize++; q = q->next; }
            int qsize = width;
            while (psize > 0 || (qsize > 0 && q)) {
                struct node *e;
                if (psize == 0) { e = q; q = q->next; qsize--; }
                else if (qsize == 0 || !q) { e = p; p = p->next; psize--; }
                else if (p->key < q->key || (p->key == q->key && p->value <= q->value)) { e = p; p = p->next; psize--; }
                else { e = q; q = q->next; qsize--; }
                if (tail) tail->next = e; else result = e;
                tail = e;
            }
            p = q;
        }
        tail->next = 0;
        head = result;
        if (merges <= 1) return head;
        width *= 2;
    }
}

static uint32_t list_part(void) {
    for (int i = 0; i < NODES; i++) {
        pool[i].key = next_random() % 1000;
        pool[i].value = (uint32_t)i;
        pool[i].next = i + 1 < NODES ? &pool[i + 1] : 0;
    }
    struct node *head = list_merge_sort(&pool[0]);
    /* Reverse. */
    struct node *prev = 0;
    while (head) { struct node *n = head->next; head->next = prev; prev = head; head = n; }
    head = prev;
    /* Search for 50 keys; count hits and sum their positions. */
    uint32_t acc = 0;
    for (uint32_t k = 0; k < 1000; k += 20) {
        uint32_t pos = 0;
        for (struct node *n = head; n; n = n->next, pos++)
            if (n->key == k) { acc = acc * 33 + pos; break; }
    }
    uint32_t crc = acc;
    for (struct node *n = head; n; n = n->next) {
        uint32_t kv[2] = {n->key, n->value};
        crc = crc32(crc, kv, sizeof kv);
    }
    return crc;
}

/* ---- state machine: classify whitespace-separated tokens ---- */
static char text[TEXT];
enum { START, INT, FRAC, EXP_SIGN, EXP, BAD };
static uint32_t state_part(uint32_t counts[4]) {
    static const char alphabet[] = "0123456789.e-+ x  ";
    for (int i = 0; i < TEXT; i++) text[i] = alphabet[next_random() % (sizeof alphabet - 1)];
    int state = START, len = 0;
    counts[0] = counts[1] = counts[2] = counts[3] = 0;
    for (int i = 0; i <= TEXT; i++) {
        char c = i < TEXT ? text[i] : ' ';
        if (c == ' ') {
            if (len) {
                if (state == INT) counts[0]++;
                else if (state == FRAC) counts[1]++;
                else if (state == EXP) counts[2]++;
                else counts[3]++;
            }
            state = START; len = 0;
            continue;
        }
        len++;
        int digit = c >= '0' && c <= '9';
        switch (state) {
        case START: state = digit ? INT : (c == '-' || c == '+') ? INT : BAD; break;
        case INT: state = digit ? INT : c == '.' ? FRAC : c == 'e' ? EXP_SIGN : BAD; break;
        case FRAC: state = digit ? FRAC : c == 'e' ? EXP_SIGN : BAD; break;
        case EXP_SIGN: state = digit || c == '-' || c == '+' ? EXP : BAD; break;
        case EXP: state = digit ? EXP : BAD; break;
        default: break;
        }
    }
    return crc32(0, text, TEXT);
}

int main(void) {
    crc_init();
    uint32_t crc = 0, counts_total[4] = {0, 0, 0, 0};
    uint32_t m = 0, l = 0, s = 0;
    for (uint32_t it = 0; it < ITERATIONS; it++) {
        seed = it * 7919u + 1u;
        m = matrix_part();
        l = list_part();
        uint32_t counts[4];
        s = state_part(counts);
        for (int k = 0; k < 4; k++) counts_total[k] += counts[k];
        uint32_t parts[3] = {m, l, s};
        crc = crc32(crc, parts, sizeof parts);
    }
    rt_printf("last iteration: matrix %08x list %08x text %08x\n", m, l, s);
    rt_printf("tokens: int %u frac %u exp %u bad %u\n", counts_total[0], counts_total[1],
              counts_total[2], counts_total[3]);
    rt_printf("iterations %u final crc %08x\n", ITERATIONS, crc);
    return 0;
}
