/* See workload.h. Branch-free LFSR step; the cpl3 kernel side recomputes it with a branching step. */
#include "workload.h"

uint32_t workload_run(uint32_t *buf, uint32_t words, uint32_t passes, uint32_t seed) {
    uint32_t x = seed, sum = 0;
    for (uint32_t i = 0; i < words; i++) buf[i] = i * 0x9E3779B9u;
    for (uint32_t p = 0; p < passes; p++) {
        for (uint32_t i = 0; i < words; i++) {
            x = (x >> 1) ^ (-(x & 1u) & WORKLOAD_POLY);
            uint32_t w = buf[i] ^ x;
            buf[i] = w;
            sum = ((sum << 5) | (sum >> 27)) ^ w;
            sum += p;
        }
    }
    return sum ^ x;
}
