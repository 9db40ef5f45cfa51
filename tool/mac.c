/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mac.c - see mac.h.  The accepted syntax is Go's net.ParseMAC.
 */
#include "mac.h"

#include "util.h"

#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Go's xtoi2: two hex digits, followed by `sep` (or the end of s) when sep != 0. */
static int xtoi2(const char *s, size_t len, char sep, uint8_t *out)
{
    if (len < 2)
        return -1;
    if (len > 2 && s[2] != sep)
        return -1;
    int hi = hexval(s[0]), lo = hexval(s[1]);
    if (hi < 0 || lo < 0)
        return -1;
    *out = (uint8_t)(hi << 4 | lo);
    return 0;
}

int mac_parse(const char *s, uint8_t mac[6], char **err)
{
    size_t len = strlen(s);
    uint8_t hw[20];
    size_t n = 0;
    if (len < 14)
        goto invalid;
    if (s[2] == ':' || s[2] == '-') {
        if ((len + 1) % 3 != 0)
            goto invalid;
        n = (len + 1) / 3;
        if (n != 6 && n != 8 && n != 20)
            goto invalid;
        for (size_t x = 0, i = 0; i < n; i++, x += 3)
            if (xtoi2(s + x, len - x, s[2], &hw[i]) != 0)
                goto invalid;
    } else if (s[4] == '.') {
        if ((len + 1) % 5 != 0)
            goto invalid;
        n = 2 * (len + 1) / 5;
        if (n != 6 && n != 8 && n != 20)
            goto invalid;
        for (size_t x = 0, i = 0; i < n; i += 2, x += 5) {
            if (xtoi2(s + x, 2, 0, &hw[i]) != 0)
                goto invalid;
            if (xtoi2(s + x + 2, len - x - 2, s[4], &hw[i + 1]) != 0)
                goto invalid;
        }
    } else {
        goto invalid;
    }
    if (n != 6)
        return fail(err, "address %s: invalid MAC address: %zu bytes, a network device's MAC address has 6", s, n);
    memcpy(mac, hw, 6);
    return 0;
invalid:
    if (len == 0)
        return fail(err, "invalid MAC address");
    return fail(err, "address %s: invalid MAC address", s);
}

void mac_format(const uint8_t mac[6], char buf[18])
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}
