/* Interface between the CPL0 and CPL3 halves of the cpl3 guests. */
#ifndef GUESTS_CPL3_H
#define GUESTS_CPL3_H

#include <stdint.h>
#define WORKLOAD_IN_GUEST 1
#include "../common/workload.h"

#ifdef CPL3_BENCH
#define USER_WORDS  CPL3_BENCH_WORDS
#define USER_PASSES CPL3_BENCH_PASSES
#else
#define USER_WORDS  CPL3_WORDS
#define USER_PASSES CPL3_PASSES
#endif
#define USER_BUF_WORDS CPL3_BENCH_WORDS

#define SYS_PING 0      /* returns a0 + 1 through SYSRET */
#define SYS_DONE 1      /* a0 = workload checksum; the kernel checks everything and exits */

struct user_report {
    uint64_t ping_sysret, cs_after_sysret, ping_int80, result;
};

extern struct user_report user_report;
extern uint32_t user_buf[USER_BUF_WORDS];
extern uint8_t user_stack[16384];
extern char user_probe_site[], user_probe_resume[], user_hlt_site[];
void user_main(uint64_t words, uint64_t passes);

#endif
