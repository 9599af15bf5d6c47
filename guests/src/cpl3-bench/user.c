/* cpl3-bench: the cpl3 guest with the long workload. */
#define CPL3_BENCH 1
#include "../cpl3/user.c"
