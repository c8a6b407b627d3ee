#ifndef REVERIE_CSYSTEM_H
#define REVERIE_CSYSTEM_H

#include <pthread.h>
#include <sched.h>

// glibc declares these only for _GNU_SOURCE, which Swift's view of glibc lacks.

/// Makes threads started with `attr` begin on a processor other than the calling
/// thread's, when the process may use another one. `allowed` receives the processors the
/// process may use, for the thread to take back with `reverie_thread_allow`.
///
/// Returns 1 when the attribute was set, 0 when there is no other processor.
int reverie_attr_start_elsewhere(pthread_attr_t *attr, cpu_set_t *allowed);

/// Lets the calling thread run on the processors in `allowed` again.
void reverie_thread_allow(const cpu_set_t *allowed);

#endif
