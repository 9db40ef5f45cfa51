/* SPDX-License-Identifier: Apache-2.0 */
/*
 * barrier.h - the exception barrier (barrier.m).
 */
#ifndef CVZ_BARRIER_H
#define CVZ_BARRIER_H

#include "runtime.h"

/* Calls fn(arg); returns nil, or the Objective-C exception that fn raised (a reference the caller releases). */
id cvz__barrier(void (*fn)(void *), void *arg);

#endif
