/* The shared workload compiled into the user pages. */
#define WORKLOAD_IN_GUEST 1
#include "../common/workload.c"
