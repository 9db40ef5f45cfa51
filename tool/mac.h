/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mac.h - MAC addresses as vfkit reads them (Go's net.ParseMAC), minus the
 * quirk: net.ParseMAC also accepts 8-byte EUI-64 and 20-byte InfiniBand
 * addresses, which are not Ethernet MAC addresses and which
 * VZMACAddress cannot hold; cvz rejects them.
 */
#ifndef CVZ_TOOL_MAC_H
#define CVZ_TOOL_MAC_H

#include <stdint.h>

/* Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff and aabb.ccdd.eeff in either
 * case.  Errors: "address <v>: invalid MAC address" (Go's), "invalid MAC
 * address" for "", and for 8/20-byte addresses a line saying why. */
int mac_parse(const char *s, uint8_t mac[6], char **err);

/* "aa:bb:cc:dd:ee:ff" into buf (18 bytes). */
void mac_format(const uint8_t mac[6], char buf[18]);

#endif
