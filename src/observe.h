/* SPDX-License-Identifier: Apache-2.0 */
/*
 * observe.h - state observers (cvz_virtual_machine_observe_state), as the
 * rest of the core sees them.
 */
#ifndef CVZ_OBSERVE_H
#define CVZ_OBSERVE_H

/*
 * From cvz_release(), before the object goes: unregisters the observers made
 * through `handle` (their destroy functions run).  Cheap when there are none.
 */
void cvz__observers_drop(const void *handle);

#endif
