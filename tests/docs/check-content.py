# SPDX-License-Identifier: Apache-2.0
"""The reference pages of the real API say what the headers and the API say.

    python3 tests/docs/check-content.py DOCS_DIR HEADER_DIR

Each area header HEADER_DIR/AREA.h has its page DOCS_DIR/AREA.html, and every
prototype the header declares is on that page, as the page's text reads.  The
availability matrix marks an arm64-only item unavailable on x86_64 at every
level, and a 13.0 item unavailable at 12.x and available from 13.0; every item
the index lists as not wrapped has its row in the matrix, with the reason.
Exit status 1 with one line per problem.
"""
import html.parser
import os
import re
import sys

# A declaration's attributes, then its prototype, which may break after "(" and "," (gen/layout.c).
PROTOTYPE = re.compile(r"^CVZ_EXTERN CVZ_AVAILABLE_IN_\d+_\d+\n([^;]*;)$", re.M)
NOT_AREAS = {"cvz-api.h", "cvz-types.h", "cvz-names.h"}
ARM64_ONLY = "cvz_mac_platform_configuration_new"  # VZMacPlatformConfiguration: macOS 12.0, arm64 only
SINCE_13 = "cvz_efi_boot_loader_new"               # VZEFIBootLoader: macOS 13.0, both architectures


class Text(html.parser.HTMLParser):
    """A page's text, and its tables' rows: each a list of (tag, class, text) cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.rows, self.row, self.cell = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.row = []
            self.rows.append((attrs.get("id"), self.row))
        elif tag in ("td", "th") and self.row is not None:
            self.cell = [tag, attrs.get("class", ""), ""]
            self.row.append(self.cell)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data):
        self.parts.append(data)
        if self.cell is not None:
            self.cell[2] += data


def read(folder, name):
    page = Text()
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        page.feed(f.read())
    page.close()
    return page


def check_prototypes(docs, headers, problems):
    count = 0
    for header in sorted(os.listdir(headers)):
        if not header.endswith(".h") or header in NOT_AREAS:
            continue
        page_name = header[:-2] + ".html"
        if not os.path.exists(os.path.join(docs, page_name)):
            problems.append(f"{page_name}: missing (the page of {header})")
            continue
        text = "".join(read(docs, page_name).parts)
        with open(os.path.join(headers, header), encoding="utf-8") as f:
            for broken in PROTOTYPE.findall(f.read()):
                prototype = re.sub(r",\s+", ", ", re.sub(r"\(\s+", "(", broken))
                count += 1
                if prototype not in text:
                    problems.append(f"{page_name}: lacks {prototype}")
    if count < 100:
        problems.append(f"{headers}: only {count} prototypes found")
    return count


def matrix(docs):
    """The levels, the marks of each row with an id by (level, arch), and each row's label → its last cell's text."""
    page = read(docs, "availability.html")
    header = next(row for _, row in page.rows if row and row[0][2] == "Item")
    levels = [c[2] for c in header[3:]]  # after Item, C and Since
    cells, labels = {}, {}
    for row_id, row in page.rows:
        if row and row[0][0] == "th" and row[0][2] != "Item":
            labels[row[0][2]] = row[-1][2]
        marks = [c[1] for c in row if c[1] in ("yes", "no")]
        if row_id and marks:
            cells[row_id] = {(levels[i // 2], ("arm64", "x86_64")[i % 2]): m for i, m in enumerate(marks)}
    return levels, cells, labels


def check_matrix(docs, problems):
    levels, cells, labels = matrix(docs)
    if "12.0" not in levels or "13.0" not in levels:
        problems.append(f"availability.html: levels {levels}")
        return
    arm = cells.get(ARM64_ONLY, {})
    for level in levels:
        want = "yes" if float(level) >= 12.0 else "no"
        if arm.get((level, "arm64")) != want or arm.get((level, "x86_64")) != "no":
            problems.append(f"availability.html: {ARM64_ONLY} at {level}: {arm.get((level, 'arm64'))} on arm64, "
                            f"{arm.get((level, 'x86_64'))} on x86_64")
    new = cells.get(SINCE_13, {})
    for level in levels:
        want = "yes" if float(level) >= 13.0 else "no"
        for arch in ("arm64", "x86_64"):
            if new.get((level, arch)) != want:
                problems.append(f"availability.html: {SINCE_13} at {level} on {arch}: {new.get((level, arch))}")
    index = read(docs, "index.html")
    skips = [row[:2] for _, row in index.rows if len(row) == 2 and row[0][0] == "td"]
    if not skips:
        problems.append("index.html: no item not wrapped")
    for (_, _, name), (_, _, reason) in skips:
        if labels.get(name) != f"not wrapped: {reason}":
            problems.append(f"availability.html: {name}: {labels.get(name)!r}, not the reason {reason!r}")
    return len(cells)


def main(docs, headers):
    problems = []
    prototypes = check_prototypes(docs, headers, problems)
    rows = check_matrix(docs, problems)
    for p in problems:
        print(p)
    print(f"{docs}: {prototypes} prototypes on their area's page, {rows} matrix rows with an id: "
          f"{'ok' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: check-content.py DOCS_DIR HEADER_DIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
