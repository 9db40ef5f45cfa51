/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 11.0/ethernet.m - VZMACAddress as six bytes (ether_addr_t) and what its
 * first byte says (IEEE 802: bit 0 group, bit 1 locally administered), 11.0.
 */
#import "11.0/config.h"

#include <string.h>

/* <net/ethernet.h>'s struct ether_addr, by value: six bytes in network order. */
typedef struct {
    unsigned char octet[6];
} vzsim_ether_addr_t;

@interface VZMACAddress (VZSimEthernet)
- (id)initWithEthernetAddress:(vzsim_ether_addr_t)ethernetAddress;
- (vzsim_ether_addr_t)ethernetAddress;
- (BOOL)isBroadcastAddress;
- (BOOL)isMulticastAddress;
- (BOOL)isUnicastAddress;
- (BOOL)isLocallyAdministeredAddress;
- (BOOL)isUniversallyAdministeredAddress;
@end

@implementation VZMACAddress (VZSimEthernet)

- (id)initWithEthernetAddress:(vzsim_ether_addr_t)ethernetAddress
{
    self = vzsim_nsobject_init(self);
    if (self == nil)
        return nil;
    memcpy(_octets, ethernetAddress.octet, sizeof _octets);
    return self;
}

- (vzsim_ether_addr_t)ethernetAddress
{
    vzsim_ether_addr_t address;
    memcpy(address.octet, _octets, sizeof address.octet);
    return address;
}

- (BOOL)isBroadcastAddress
{
    static const unsigned char all_ones[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    return memcmp(_octets, all_ones, sizeof all_ones) == 0;
}

/* Broadcast is a group address too. */
- (BOOL)isMulticastAddress
{
    return (_octets[0] & 0x01) != 0;
}

- (BOOL)isUnicastAddress
{
    return (_octets[0] & 0x01) == 0;
}

- (BOOL)isLocallyAdministeredAddress
{
    return (_octets[0] & 0x02) != 0;
}

- (BOOL)isUniversallyAdministeredAddress
{
    return (_octets[0] & 0x02) == 0;
}

@end
