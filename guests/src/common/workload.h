/*
 * The CPU-bound CPL3 workload of the cpl3 and cpl3-bench guests: a 32-bit Galois LFSR mixed into a
 * buffer and folded into a rotating checksum. Shared by the guests (code in the user pages) and by the
 * build-host tool that computes the expected checksums (src/host/workload-ref.c).
 */
#ifndef GUESTS_WORKLOAD_H
#define GUESTS_WORKLOAD_H

#include <stdint.h>

#ifdef WORKLOAD_IN_GUEST
#define WORKLOAD_TEXT __attribute__((section(".user.text"), noinline))
#else
#define WORKLOAD_TEXT
#endif

#define WORKLOAD_SEED       0x1BADB002u
#define WORKLOAD_POLY       0xEDB88320u      /* taps of the Galois LFSR (reflected CRC-32 polynomial) */

/* cpl3: short run whose result CPL0 also recomputes. */
#define CPL3_WORDS          1024u
#define CPL3_PASSES         4u
/* cpl3-bench: about 1-2 s of native CPU time (see guests/README.md for the measured figure). */
#define CPL3_BENCH_WORDS    16384u
#define CPL3_BENCH_PASSES   64000u

/* Fills buf[0..words) and runs `passes` passes over it; returns the checksum. */
uint32_t workload_run(uint32_t *buf, uint32_t words, uint32_t passes, uint32_t seed) WORKLOAD_TEXT;

#endif
