/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake_layer.c - a stand-in layer library for testing the sim's loader.
 *
 * Built as build/sim/fake/libVirtualization-12.0-arm64.so (FAKE_LAYER=arm64_12_0)
 * and build/sim/fake/libVirtualization-99.0.so (FAKE_LAYER=v99_0).  When the
 * loader loads it, it records in cvz_sim_fake_<FAKE_LAYER> whether the
 * layers it must follow were already there: 2 if -[VZVirtualMachine
 * stopWithCompletionHandler:] (12.0) was present at load time, else 1.
 */
#include <objc/runtime.h>

#define CVZ_SIM_CAT2(a, b) a##b
#define CVZ_SIM_CAT(a, b) CVZ_SIM_CAT2(a, b)
#define CVZ_SIM_FAKE_SYMBOL CVZ_SIM_CAT(cvz_sim_fake_, FAKE_LAYER)

int CVZ_SIM_FAKE_SYMBOL = 0;

__attribute__((constructor)) static void cvz_sim_fake_layer_init(void)
{
    Class vm = objc_getClass("VZVirtualMachine");
    int after_12 = vm != Nil && class_getInstanceMethod(vm, sel_registerName("stopWithCompletionHandler:")) != NULL;
    CVZ_SIM_FAKE_SYMBOL = after_12 ? 2 : 1;
}
