/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hold.h - holds (hold.m): a test keeps a transition in its intermediate
 * state until it releases it (CVZ_SIM_HOLD, sim/README.md).
 */
#ifndef CVZ_SIM_CORE_HOLD_H
#define CVZ_SIM_CORE_HOLD_H

#import "core/queue.h"

/* Queue fn on `queue` after `delay_ms`, unless CVZ_SIM_HOLD names `what`
 * ("start", "stop", "power-off", "crash", ...): then park it until cvz_sim_release(what).
 * Takes over `block`. */
void vzsim_after_unless_held(CVZSimQueue *queue, const char *what, long delay_ms, vzsim_work_fn fn, id obj, id arg,
                             unsigned long token, void *block);
/* Exported for tests (dlsym): queue every parked `what` at once (returns how
 * many), and wait up to timeout_ms until `count` are parked (returns whether). */
int cvz_sim_release(const char *what);
int cvz_sim_wait_held(const char *what, int count, long timeout_ms);

#endif /* CVZ_SIM_CORE_HOLD_H */
