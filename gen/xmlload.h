/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xmlload.h - reading an XML file the safe way (no DTDs, no entities, no
 * network) and validating it against a RelaxNG schema, with every libxml2
 * problem reported as file:line: error:.
 */
#ifndef CVZGEN_XMLLOAD_H
#define CVZGEN_XMLLOAD_H

#include <libxml/tree.h>

/* The parsed, valid document, or NULL after diagnostics. */
xmlDoc *xml_load_validated(const char *xml_path, const char *schema_path);

#endif
