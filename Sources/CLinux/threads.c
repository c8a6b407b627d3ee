#define _GNU_SOURCE
#include "CLinux.h"

int reverie_attr_start_elsewhere(pthread_attr_t *attr, cpu_set_t *allowed) {
    if (sched_getaffinity(0, sizeof(cpu_set_t), allowed) != 0) return 0;
    int here = sched_getcpu();
    if (here < 0 || CPU_COUNT(allowed) < 2) return 0;
    cpu_set_t elsewhere = *allowed;
    CPU_CLR(here, &elsewhere);
    return pthread_attr_setaffinity_np(attr, sizeof(cpu_set_t), &elsewhere) == 0;
}

void reverie_thread_allow(const cpu_set_t *allowed) {
    pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), allowed);
}
